using Container.Runtime.Build.Parsing;
using Container.Runtime.Errors;
using Xunit;

namespace Container.Tests.Build;

/// <summary>ENV's and LABEL's pairs and ARG's declarations, split and expanded as docker does.</summary>
public sealed class InstructionArgumentsTests
{
    private static readonly ShellLexer Lexer = new();

    private static Instruction Only(string line) => DockerfileParser.Parse("FROM scratch\n" + line).Instructions[1];

    private static Func<string, string?> Lookup(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name) is { Name: not null } found ? found.Value : null;

    // Each line's pairs as written (buildkit's env test file), then as expanded.
    public static TheoryData<string, string[], string[]> EnvLines() => new()
    {
        { "ENV name value", ["name", "value"], ["name", "value"] },
        { "ENV name=value", ["name", "value"], ["name", "value"] },
        { "ENV name=value name2=value2", ["name", "value", "name2", "value2"], ["name", "value", "name2", "value2"] },
        { "ENV name=\"value value1\"", ["name", "\"value value1\""], ["name", "value value1"] },
        { "ENV name=value\\ value2", ["name", "value\\ value2"], ["name", "value value2"] },
        { "ENV name=\"value'quote space'value2\"", ["name", "\"value'quote space'value2\""], ["name", "value'quote space'value2"] },
        { "ENV name='value\"double quote\"value2'", ["name", "'value\"double quote\"value2'"], ["name", "value\"double quote\"value2"] },
        {
            "ENV name=value\\ value2 name2=value2\\ value3",
            ["name", "value\\ value2", "name2", "value2\\ value3"], ["name", "value value2", "name2", "value2 value3"]
        },
        { "ENV name=\"a\\\"b\"", ["name", "\"a\\\"b\""], ["name", "a\"b"] },
        { "ENV name=\"a\\'b\"", ["name", "\"a\\'b\""], ["name", "a\\'b"] },
        { "ENV name='a\\'b''", ["name", "'a\\'b''"], ["name", "a\\b"] },
        { "ENV name='a\\\"b'", ["name", "'a\\\"b'"], ["name", "a\\\"b"] },
        { "ENV name=\"''\"", ["name", "\"''\""], ["name", "''"] },
        { "ENV name   value with  spaces ", ["name", "value with  spaces"], ["name", "value with  spaces"] },
        { "ENV name \"quoted value\" more", ["name", "\"quoted value\" more"], ["name", "quoted value more"] },
        { "LABEL maintainer Erik \\\\Hollensbe <erik@hollensbe.org>", ["maintainer", "Erik \\\\Hollensbe <erik@hollensbe.org>"], ["maintainer", "Erik \\Hollensbe <erik@hollensbe.org>"] },
        { "LABEL \"com.example.vendor\"=\"ACME Inc\" version=1.0", ["\"com.example.vendor\"", "\"ACME Inc\"", "version", "1.0"], ["com.example.vendor", "ACME Inc", "version", "1.0"] },
        { "LABEL empty=", ["empty", ""], ["empty", ""] },
    };

    [Theory]
    [MemberData(nameof(EnvLines))]
    public void EnvAndLabelPairsAreSplitThenExpandedAsDockerDoes(string line, string[] written, string[] expanded)
    {
        var instruction = Only(line);

        Assert.Equal(written, KeyValueArguments.Split(instruction, '\\').SelectMany(p => new[] { p.Key, p.Value }));
        Assert.Equal(expanded, KeyValueArguments.Parse(instruction, Lexer, _ => null).SelectMany(p => new[] { p.Key, p.Value }));
    }

    [Fact]
    public void AContinuedEnvKeepsEachPair()
    {
        var instruction = DockerfileParser.Parse(
            "FROM ubuntu\nENV name=value \\\n    name1=value1 \\\n    name2=\"value2a \\\n           value2b\" \\\n    name3=\"value3a\\n\\\"value3b\\\"\" \\\n\tname4=\"value4a\\\\nvalue4b\" \\\n")
            .Instructions[1];

        Assert.Equal(
            ["name", "value", "name1", "value1", "name2", "\"value2a            value2b\"", "name3", "\"value3a\\n\\\"value3b\\\"\"", "name4", "\"value4a\\\\nvalue4b\""],
            KeyValueArguments.Split(instruction, '\\').SelectMany(p => new[] { p.Key, p.Value }));
        Assert.Equal(
            ["value", "value1", "value2a            value2b", "value3a\\n\"value3b\"", "value4a\\nvalue4b"],
            KeyValueArguments.Parse(instruction, Lexer, _ => null).Select(p => p.Value));
    }

    [Fact]
    public void EveryPairIsExpandedWithTheVariablesFromBeforeTheInstruction()
    {
        var pairs = KeyValueArguments.Parse(Only("ENV abc=bye def=$abc ${KEY}x=${KEY:-none}"), Lexer, Lookup(("abc", "hello"), ("KEY", "k")));

        Assert.Equal(
            [KeyValuePair.Create("abc", "bye"), KeyValuePair.Create("def", "hello"), KeyValuePair.Create("kx", "k")],
            pairs);
        Assert.Equal("/usr/local/bin:/usr/bin", KeyValueArguments.Parse(Only("ENV PATH /usr/local/bin:$PATH"), Lexer, Lookup(("PATH", "/usr/bin")))[0].Value);
    }

    [Fact]
    public void AnExpansionErrorIsAVariableError()
    {
        var error = Assert.Throws<ContainerException>(() => KeyValueArguments.Parse(Only("ENV A=\"${MISSING:?set it}\""), Lexer, _ => null));

        Assert.Equal("DockerfileVariableError", error.ErrorId);
        Assert.Contains("MISSING: set it", error.Message);

        // The pairs are split before expansion, so an unquoted blank inside ${} splits the pair, as in docker.
        Assert.Equal("DockerfileParseError", Assert.Throws<ContainerException>(() => Only("ENV A=${MISSING:?set it}")).ErrorId);
    }

    [Fact]
    public void ArgDeclaresNamesWithOptionalDefaultsKeptAsWritten()
    {
        var before = DockerfileParser.Parse("ARG foo bar=baz\nFROM ubuntu\nARG abc=\"123 456\" def empty= ver=${BASE:-1.0}").Instructions;

        Assert.Equal([new ArgDeclaration("foo", null), new ArgDeclaration("bar", "baz")], ArgDeclaration.Parse(before[0]));
        var declarations = ArgDeclaration.Parse(before[2]);
        Assert.Equal(
            [new ArgDeclaration("abc", "\"123 456\""), new ArgDeclaration("def", null), new ArgDeclaration("empty", ""), new ArgDeclaration("ver", "${BASE:-1.0}")],
            declarations);
        Assert.Equal("123 456", declarations[0].ExpandDefault(Lexer, _ => null));
        Assert.Null(declarations[1].ExpandDefault(Lexer, _ => null));
        Assert.Equal("1.0", declarations[3].ExpandDefault(Lexer, _ => null));
        Assert.Equal("2.0", declarations[3].ExpandDefault(Lexer, Lookup(("BASE", "2.0"))));
    }

    [Fact]
    public void ArgWordsFollowTheEscapeToken()
    {
        var dockerfile = DockerfileParser.Parse("# escape=`\nFROM scratch\nARG path=C:\\dir` name other");

        Assert.Equal(
            [new ArgDeclaration("path", "C:\\dir` name"), new ArgDeclaration("other", null)],
            ArgDeclaration.Parse(dockerfile.Instructions[1], dockerfile.EscapeToken));
    }
}
