using Container.Runtime.Build.Parsing;
using Container.Runtime.Errors;
using Xunit;

namespace Container.Tests.Build;

/// <summary>The Dockerfile parser, on the cases buildkit's parser tests and test files check.</summary>
public sealed class DockerfileParserTests
{
    private static IReadOnlyList<Instruction> Parse(string text) => DockerfileParser.Parse(text).Instructions;

    private static ContainerException ParseError(string text)
    {
        var error = Assert.Throws<ContainerException>(() => DockerfileParser.Parse(text));
        Assert.Equal("DockerfileParseError", error.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        return error;
    }

    [Fact]
    public void InstructionsHaveTheirKeywordInUpperCaseTheirLineAndTheirText()
    {
        var instructions = Parse("from alpine:3.20 AS build\n\n  Run echo hi  \nCMD [\"sh\"]\n");

        Assert.Equal(["FROM", "RUN", "CMD"], instructions.Select(i => i.Keyword));
        Assert.Equal([1, 3, 4], instructions.Select(i => i.Line));
        Assert.Equal("alpine:3.20 AS build", instructions[0].Arguments);
        Assert.Equal("echo hi", instructions[1].Arguments);
        Assert.Equal("Run echo hi  ", instructions[1].Original);
        Assert.Null(instructions[1].Exec);
        Assert.Equal(["sh"], instructions[2].Exec!);
    }

    [Fact]
    public void LinesAreNumberedFromOneAcrossDirectivesBlankLinesAndContinuations()
    {
        var text = "# ESCAPE=\\\n\n\n\nFROM brimstone/ubuntu:14.04\n\n\n# TORUN -v /var/run/docker.sock:/var/run/docker.sock\n\n\n" +
                   "ENV GOPATH \\\n/go\n\n\n\n# Install the packages\nRUN apt-get update \\\n\t&& dpkg -l \\\n\n\n    && apt-get clean \\\n" +
                   "# a comment\n\t&& rm -rf /var/lib/apt/lists\n\n\n";

        var instructions = Parse(text);

        Assert.Equal([5, 11, 17], instructions.Select(i => i.Line));
        Assert.Equal("GOPATH /go", instructions[1].Arguments);
        Assert.Equal("apt-get update \t&& dpkg -l     && apt-get clean \t&& rm -rf /var/lib/apt/lists", instructions[2].Arguments);
    }

    [Fact]
    public void ContinuationsJoinLinesAndDropTheCommentsAndBlankLinesInside()
    {
        var instructions = Parse(string.Join('\n',
            "FROM ubuntu:14.04",
            "RUN echo hello\\",
            "  world\\",
            "  goodnight  \\",
            "  moon\\",
            "  light\\",
            "ning",
            "RUN echo hello  \\  ",
            "world",
            "RUN echo hi \\",
            " \\",
            " world \\",
            "\\",
            " good\\",
            "\\",
            "night",
            "RUN echo hello \\",
            "# this is a comment",
            "",
            "# this is a comment with a blank line surrounding it",
            "",
            "this is some more useful stuff",
            "RUN foo \\",
            "",
            "bar \\",
            "",
            "baz",
            "RUN something \\"));

        Assert.Equal(
            [
                "ubuntu:14.04", "echo hello  world  goodnight    moon  lightning", "echo hello  world", "echo hi   world  goodnight",
                "echo hello this is some more useful stuff", "foo bar baz", "something",
            ],
            instructions.Select(i => i.Arguments));
        Assert.Equal([1, 2, 8, 10, 17, 23, 28], instructions.Select(i => i.Line));
    }

    [Fact]
    public void AnEscapedEscapeTokenAtTheEndDoesNotContinueTheLine()
    {
        var instructions = Parse(string.Join('\n',
            "FROM hello-world",
            "ENV B another\\\\path",
            "ENV C trailing\\\\backslash\\\\",
            "ENV D This should not be appended to C",
            "ENV E hello\\",
            "\\",
            "world",
            "ENV F hello\\",
            " \\",
            "world"));

        Assert.Equal(["hello-world", "B another\\\\path", "C trailing\\\\backslash\\\\", "D This should not be appended to C", "E helloworld", "F hello world"],
            instructions.Select(i => i.Arguments));
    }

    [Fact]
    public void TheEscapeDirectiveMakesTheBacktickTheEscapeAndContinuationToken()
    {
        var dockerfile = DockerfileParser.Parse("#escape = `\n\nFROM image\nLABEL maintainer foo@bar.com\nENV GOPATH `\n\\go");

        Assert.Equal('`', dockerfile.EscapeToken);
        Assert.Equal(["image", "maintainer foo@bar.com", "GOPATH \\go"], dockerfile.Instructions.Select(i => i.Arguments));
        Assert.Equal(5, dockerfile.Instructions[2].Line);
        Assert.Equal(
            [KeyValuePair.Create("GOPATH", "\\go")],
            KeyValueArguments.Parse(dockerfile.Instructions[2], new ShellLexer(dockerfile.EscapeToken), _ => null));
    }

    [Fact]
    public void DirectivesAreReadOnlyBeforeAnyOtherLine()
    {
        var afterComment = DockerfileParser.Parse("# Comment here.\n# escape = `\n\nFROM image\nENV GOPATH \\\n\\go");
        Assert.Equal('\\', afterComment.EscapeToken);
        Assert.Equal("GOPATH \\go", afterComment.Instructions[1].Arguments);

        var afterBlankLine = DockerfileParser.Parse("\n# escape=`\nFROM image");
        Assert.Equal('\\', afterBlankLine.EscapeToken);

        var noBlankLineAfter = DockerfileParser.Parse("# escape = `\n# not a directive\nFROM image\nENV GOPATH `\n\\go\n");
        Assert.Equal('`', noBlankLineAfter.EscapeToken);
        Assert.Equal("GOPATH \\go", noBlankLineAfter.Instructions[1].Arguments);

        var withSyntax = DockerfileParser.Parse("# SYNTAX = docker/dockerfile:1.7 extra\n#Escape=`\nFROM image");
        Assert.Equal("docker/dockerfile:1.7", withSyntax.Syntax);
        Assert.Equal('`', withSyntax.EscapeToken);

        var afterInstruction = DockerfileParser.Parse("FROM image\n# syntax=docker/dockerfile:1\n");
        Assert.Null(afterInstruction.Syntax);
    }

    [Fact]
    public void ARepeatedOrInvalidDirectiveIsAnError()
    {
        Assert.Contains("line 2", ParseError("# escape=`\n# escape=\\\nFROM image").Message);
        Assert.Contains("line 1", ParseError("# escape=x\nFROM image").Message);
    }

    [Fact]
    public void FlagsComeBeforeTheArgumentsUnquotedAndADoubleDashEndsThem()
    {
        var instructions = Parse(string.Join('\n',
            "FROM --platform=linux/amd64 scratch",
            "COPY --from=build --chown=\"me:me\" --link foo /tmp/",
            "COPY --link=false -- --foo /tmp/",
            "COPY -- foo /tmp/",
            "RUN --mount=type=cache,target=/root/.cache --mount=type=bind,source=a,target=/a --network=none make",
            "ADD --exclude=*.md --exclude=*.txt --checksum=sha256:abc https://127.0.0.1/a /a",
            "HEALTHCHECK --interval=5s --retries=3 CMD [\"true\"]",
            "COPY --chmod= a b"));

        Assert.Equal([new InstructionFlag("platform", "linux/amd64")], instructions[0].Flags);
        Assert.Equal([new InstructionFlag("from", "build"), new InstructionFlag("chown", "me:me"), new InstructionFlag("link", null)], instructions[1].Flags);
        Assert.Equal("foo /tmp/", instructions[1].Arguments);
        Assert.True(instructions[1].HasFlag("link"));
        Assert.Null(instructions[1].Flag("link"));
        Assert.Equal("build", instructions[1].Flag("from"));
        Assert.Equal("--foo /tmp/", instructions[2].Arguments);
        Assert.Equal("false", instructions[2].Flag("link"));
        Assert.Empty(instructions[3].Flags);
        Assert.Equal("foo /tmp/", instructions[3].Arguments);
        Assert.Equal(["mount", "mount", "network"], instructions[4].Flags.Select(f => f.Name));
        Assert.Equal("type=cache,target=/root/.cache", instructions[4].Flag("mount"));
        Assert.Equal("make", instructions[4].Arguments);
        Assert.Equal(["*.md", "*.txt"], instructions[5].Flags.Where(f => f.Name == "exclude").Select(f => f.Value));
        Assert.Equal(["true"], instructions[6].Exec!);
        Assert.Equal("CMD [\"true\"]", instructions[6].Arguments);
        Assert.Equal("", instructions[7].Flag("chmod"));
    }

    [Theory]
    [InlineData("FROM scratch\nCOPY --=x a b", "no name")]
    [InlineData("FROM scratch\nCOPY --user=me a b", "unknown flag --user")]
    [InlineData("FROM scratch\nCOPY --from a b", "missing a value on flag: --from")]
    [InlineData("FROM scratch\nCOPY --link=maybe a b", "expecting boolean value")]
    [InlineData("FROM scratch\nCOPY --from=a --from=b a b", "duplicate flag")]
    [InlineData("FROM scratch\nCMD --doit [ \"a\", \"b\" ]", "unknown flag --doit")]
    public void AMalformedOrUnknownFlagIsAnErrorOnItsLine(string text, string why)
    {
        var error = ParseError(text);
        Assert.Contains("line 2", error.Message);
        Assert.Contains(why, error.Message);
    }

    [Fact]
    public void OnlyAJsonArrayOfStringsIsTheExecForm()
    {
        var instructions = Parse(string.Join('\n',
            "FROM scratch",
            "CMD [ \"\\/usr\\\\\\\"/bin/znc\", \"-f\", \"-r\" ]",
            "CMD [\"echo\", \"hi\"] trailing",
            "CMD ['single', 'quotes']",
            "CMD [\"unterminated\"",
            "CMD [\"unterminated",
            "CMD \"[\\\"json inside a string\\\"]\"",
            "ENTRYPOINT []",
            "VOLUME [\"/data\", \"/logs\"]",
            "VOLUME /data /logs",
            "ENV X [\"not\", \"exec\"]",
            "HEALTHCHECK CMD curl -f http://127.0.0.1/"));

        Assert.Equal(["/usr\\\"/bin/znc", "-f", "-r"], instructions[1].Exec!);
        Assert.Null(instructions[2].Exec);
        Assert.Equal("[\"echo\", \"hi\"] trailing", instructions[2].Arguments);
        Assert.Null(instructions[3].Exec);
        Assert.Null(instructions[4].Exec);
        Assert.Null(instructions[5].Exec);
        Assert.Null(instructions[6].Exec);
        Assert.Equal([], instructions[7].Exec!);
        Assert.Equal(["/data", "/logs"], instructions[8].Exec!);
        Assert.Null(instructions[9].Exec);
        Assert.Null(instructions[10].Exec);
        Assert.Null(instructions[11].Exec);
    }

    [Fact]
    public void AJsonArrayOfOtherThingsIsAnError()
    {
        Assert.Contains("line 2", ParseError("FROM busybox\nCMD [ \"echo\", [ \"nested json\" ] ]").Message);
        Assert.Contains("strings only", ParseError("FROM busybox\nRUN [\"echo\", 1]").Message);
    }

    [Fact]
    public void OnbuildHoldsItsTriggerParsed()
    {
        var instructions = Parse("FROM scratch\nONBUILD RUN --network=none [\"make\", \"install\"]\nonbuild copy <<EOF /x\nhi\nEOF\n");

        var trigger = instructions[1].Trigger!;
        Assert.Equal("RUN --network=none [\"make\", \"install\"]", instructions[1].Arguments);
        Assert.Equal("RUN", trigger.Keyword);
        Assert.Equal(2, trigger.Line);
        Assert.Equal("none", trigger.Flag("network"));
        Assert.Equal(["make", "install"], trigger.Exec!);
        Assert.Equal("COPY", instructions[2].Trigger!.Keyword);
        Assert.Equal([new Heredoc("EOF", "hi\n", true, false)], instructions[2].Trigger!.Heredocs);
        Assert.Null(instructions[0].Trigger);
    }

    [Theory]
    [InlineData("FROM scratch\nONBUILD ONBUILD RUN x", "ONBUILD ONBUILD")]
    [InlineData("FROM scratch\nONBUILD FROM alpine", "FROM isn't allowed")]
    [InlineData("FROM scratch\nONBUILD MAINTAINER me", "MAINTAINER isn't allowed")]
    [InlineData("FROM scratch\nONBUILD", "at least one argument")]
    [InlineData("FROM scratch\nONBUILD BOGUS x", "unknown instruction: BOGUS")]
    public void AnOnbuildThatDockerRefusesIsAnError(string text, string why)
    {
        var error = ParseError(text);
        Assert.Contains("line 2", error.Message);
        Assert.Contains(why, error.Message);
    }

    [Fact]
    public void TriggersFromAnImageParseWithoutAFrom()
    {
        var triggers = DockerfileParser.ParseTriggers(["RUN echo built", "COPY . /app"]);

        Assert.Equal(["RUN", "COPY"], triggers.Select(t => t.Keyword));
        Assert.Equal(". /app", triggers[1].Arguments);
    }

    [Fact]
    public void AnUnknownInstructionNamesItsLine()
    {
        var error = ParseError("FROM scratch\n\nRUN true \\\n  && false\nFROOM x\n");
        Assert.Contains("line 5", error.Message);
        Assert.Contains("FROOM", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n   \n")]
    [InlineData("# only\n# comments\n")]
    [InlineData("# syntax=docker/dockerfile:1\n")]
    public void AFileWithNoInstructionsIsAnError(string text) =>
        Assert.Contains("no instructions", ParseError(text).Message);

    [Fact]
    public void AFileMustBeginWithFromAfterItsArgs()
    {
        var error = ParseError("# hello\nARG BASE=alpine\n\nRUN echo hi\nFROM $BASE");
        Assert.Contains("line 4", error.Message);
        Assert.Contains("RUN", error.Message);

        Assert.Contains("no FROM", ParseError("ARG A\nARG B").Message);
        Assert.Equal(["ARG", "FROM"], Parse("ARG BASE=alpine\nFROM ${BASE}").Select(i => i.Keyword));
    }

    [Fact]
    public void AByteOrderMarkAndWindowsLineEndingsAreRead()
    {
        var instructions = Parse("\uFEFFFROM scratch\r\nRUN a \\\r\n  b\r\n");
        Assert.Equal(["scratch", "a   b"], instructions.Select(i => i.Arguments));
    }

    [Theory]
    [InlineData("FROM busybox\nENV PATH", "must have two arguments")]
    [InlineData("FROM busybox\nENV", "at least one argument")]
    [InlineData("FROM busybox\nLABEL a=b c", "can't find =")]
    [InlineData("FROM busybox\nLABEL =b", "names can not be blank")]
    [InlineData("FROM busybox\nARG", "at least one argument")]
    [InlineData("FROM busybox\nARG =x", "names can not be blank")]
    public void MalformedEnvLabelAndArgAreErrorsOnTheirLine(string text, string why)
    {
        var error = ParseError(text);
        Assert.Contains("line 2", error.Message);
        Assert.Contains(why, error.Message);
    }
}
