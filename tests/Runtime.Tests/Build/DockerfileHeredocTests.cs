using Container.Runtime.Build.Parsing;
using Container.Runtime.Errors;
using Xunit;

namespace Container.Tests.Build;

/// <summary>Heredocs (RUN, COPY and ADD only), on the cases of buildkit's heredoc parser tests.</summary>
public sealed class DockerfileHeredocTests
{
    private const string Dockerfile = """

        FROM alpine:3.6

        ENV NAME=me

        RUN ls

        USER <<INVALID
        RUN <<EMPTY
        EMPTY

        RUN 3<<EMPTY2
        EMPTY2

        RUN "<<NOHEREDOC"

        RUN <<INDENT
        	foo
        	bar
        INDENT

        RUN <<-UNINDENT
        	baz
        	quux
        UNINDENT

        RUN <<-UNINDENT2
        	baz
        	quux
        	UNINDENT2

        RUN <<-EXPAND
        	expand $NAME
        EXPAND

        RUN <<-'NOEXPAND'
        	don't expand $NAME
        NOEXPAND

        RUN <<COPY
        echo hello world
        echo foo bar
        COPY

        RUN <<COMMENT
        # internal comment
        echo hello world
        echo foo bar # trailing comment
        COMMENT

        RUN --mount=type=cache,target=/foo <<MOUNT
        echo hello
        MOUNT

        COPY <<FILE1 <<FILE2 /dest
        content 1
        FILE1
        content 2
        FILE2

        COPY <<EOF /quotes
        "foo"
        'bar'
        EOF

        COPY <<X <<Y /dest
        Y
        X
        X
        Y

        RUN <<COMPLEX python3
        print('hello world')
        COMPLEX

        COPY <<file.txt /dest
        hello world
        file.txt

        RUN <<eo'f'
        echo foo
        eof

        RUN <<eo\'f
        echo foo
        eo'f

        RUN <<'e'o\'f
        echo foo
        eo'f

        RUN <<'one two'
        echo bar
        one two

        RUN <<$EOF
        $EOF

        RUN <<  EOF
        EOF

        RUN <<  EOF  > foo
        EOF
        """;

    public static TheoryData<int, Heredoc[]> Expected() => new()
    {
        { 1, [] },
        { 2, [] },
        { 3, [] },
        { 4, [new("EMPTY", "", true, false)] },
        { 5, [new("EMPTY2", "", true, false)] },
        { 6, [] },
        { 7, [new("INDENT", "\tfoo\n\tbar\n", true, false)] },
        { 8, [new("UNINDENT", "baz\nquux\n", true, true)] },
        { 9, [new("UNINDENT2", "baz\nquux\n", true, true)] },
        { 10, [new("EXPAND", "expand $NAME\n", true, true)] },
        { 11, [new("NOEXPAND", "don't expand $NAME\n", false, true)] },
        { 12, [new("COPY", "echo hello world\necho foo bar\n", true, false)] },
        { 13, [new("COMMENT", "# internal comment\necho hello world\necho foo bar # trailing comment\n", true, false)] },
        { 14, [new("MOUNT", "echo hello\n", true, false)] },
        { 15, [new("FILE1", "content 1\n", true, false), new("FILE2", "content 2\n", true, false)] },
        { 16, [new("EOF", "\"foo\"\n'bar'\n", true, false)] },
        { 17, [new("X", "Y\n", true, false), new("Y", "X\n", true, false)] },
        { 18, [new("COMPLEX", "print('hello world')\n", true, false)] },
        { 19, [new("file.txt", "hello world\n", true, false)] },
        { 20, [new("eof", "echo foo\n", false, false)] },
        { 21, [new("eo'f", "echo foo\n", true, false)] },
        { 22, [new("eo'f", "echo foo\n", false, false)] },
        { 23, [new("one two", "echo bar\n", false, false)] },
        { 24, [new("$EOF", "", true, false)] },
        { 25, [new("EOF", "", true, false)] },
        { 26, [new("EOF", "", true, false)] },
    };

    [Theory]
    [MemberData(nameof(Expected))]
    public void EachInstructionOpensTheHeredocsBuildkitFinds(int index, Heredoc[] heredocs)
    {
        var instructions = DockerfileParser.Parse(Dockerfile).Instructions;

        Assert.Equal(27, instructions.Count);
        Assert.Equal(heredocs, instructions[index].Heredocs);
    }

    [Fact]
    public void TheHeredocLinesBelongToTheirInstruction()
    {
        var instructions = DockerfileParser.Parse("FROM a\nCOPY <<FILE1 <<FILE2 /dest\ncontent 1\nFILE1\ncontent 2\nFILE2\nRUN cat /dest\n").Instructions;

        Assert.Equal([1, 2, 7], instructions.Select(i => i.Line));
        Assert.Equal("COPY <<FILE1 <<FILE2 /dest", instructions[1].Original);
        Assert.Equal("<<FILE1 <<FILE2 /dest", instructions[1].Arguments);
    }

    [Fact]
    public void TheExecFormOpensNoHeredoc()
    {
        var instructions = DockerfileParser.Parse("FROM alpine:3.6\nRUN [\"whoami\"]\nRUN [\"<<EOF\"]\nRUN [\"<<'EOF'\"]\n").Instructions;

        Assert.All(instructions, i => Assert.Empty(i.Heredocs));
        Assert.Equal(["<<EOF"], instructions[2].Exec!);
    }

    [Fact]
    public void AHeredocAfterAContinuationIsRead()
    {
        var instructions = DockerfileParser.Parse("FROM a\nRUN --network=none \\\n  <<EOF bash\nset -e\nEOF\n").Instructions;

        Assert.Equal([new Heredoc("EOF", "set -e\n", true, false)], instructions[1].Heredocs);
        Assert.Equal("none", instructions[1].Flag("network"));
    }

    [Fact]
    public void AnUnterminatedHeredocIsAnErrorAtItsInstruction()
    {
        var error = Assert.Throws<ContainerException>(() => DockerfileParser.Parse("FROM a\n\nRUN <<EOF\necho hi\nEOF \n"));

        Assert.Equal("DockerfileParseError", error.ErrorId);
        Assert.Contains("line 3", error.Message);
        Assert.Contains("unterminated heredoc", error.Message);
    }

    [Fact]
    public void ADelimiterWithAnOpenQuoteOpensNoHeredoc()
    {
        // As in buildkit: the line does not split into shell words, so its next line is an instruction.
        var error = Assert.Throws<ContainerException>(() => DockerfileParser.Parse("FROM a\nRUN <<'EOF\nEOF\n"));

        Assert.Contains("line 3", error.Message);
        Assert.Contains("unknown instruction: EOF", error.Message);
    }
}
