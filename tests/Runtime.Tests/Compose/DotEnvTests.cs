using Container.Runtime.Compose.Loading;
using Container.Runtime.Errors;
using Xunit;

namespace Container.Tests.Compose;

/// <summary>.env files as docker compose reads them (compose-go's dotenv fixtures' cases).</summary>
public sealed class DotEnvTests
{
    private static Dictionary<string, string> Parse(string text, Dictionary<string, string>? environment = null) =>
        DotEnv.Parse(text, ".env", name => environment?.GetValueOrDefault(name));

    [Fact]
    public void ReadsPlainQuotedAndExportedLinesSkippingComments()
    {
        var values = Parse("""
            # a comment
            OPTION_A=1
            OPTION_B = 2
            export OPTION_C=3
            OPTION_D: 4
              OPTION_E=unquoted value # and a comment
            OPTION_F='single $FOO \n kept'
            OPTION_G="double\nline \"quoted\" \\ \$FOO"
            OPTION_H=
            OPTION_I=a#b
            OPTION_J="multi
            line"
            """);

        Assert.Equal("1", values["OPTION_A"]);
        Assert.Equal("2", values["OPTION_B"]);
        Assert.Equal("3", values["OPTION_C"]);
        Assert.Equal("4", values["OPTION_D"]);
        Assert.Equal("unquoted value", values["OPTION_E"]);
        Assert.Equal("single $FOO \\n kept", values["OPTION_F"]);
        Assert.Equal("double\nline \"quoted\" \\ $FOO", values["OPTION_G"]);
        Assert.Equal("", values["OPTION_H"]);
        Assert.Equal("a#b", values["OPTION_I"]);
        Assert.Equal("multi\nline", values["OPTION_J"]);
    }

    [Fact]
    public void InterpolatesFromTheEnvironmentFirstThenTheKeysAbove()
    {
        var values = Parse("""
            HOST=db
            URL=postgres://${HOST}:${PORT:-5432}/$NAME
            QUOTED="${HOST}-x"
            LITERAL='${HOST}'
            NAME=late
            """, new() { ["HOST"] = "from-env" });

        Assert.Equal("postgres://from-env:5432/", values["URL"]);
        Assert.Equal("from-env-x", values["QUOTED"]);
        Assert.Equal("${HOST}", values["LITERAL"]);
    }

    [Fact]
    public void AKeyAloneTakesItsValueFromTheEnvironmentOrIsLeftOut()
    {
        var values = Parse("INHERITED\nMISSING\nSET=1\n", new() { ["INHERITED"] = "yes" });

        Assert.Equal("yes", values["INHERITED"]);
        Assert.False(values.ContainsKey("MISSING"));
        Assert.Equal("1", values["SET"]);
    }

    [Theory]
    [InlineData("FOO BAR=1", "a key cannot contain a space")]
    [InlineData("FOO!=1", "unexpected character '!'")]
    [InlineData("A=1\nFOO=\"unterminated", "line 2: unterminated quoted value")]
    public void AMalformedLineIsAnErrorNamingIt(string text, string message)
    {
        var error = Assert.Throws<ContainerException>(() => Parse(text));
        Assert.Equal("ComposeFileInvalid", error.ErrorId);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void ARequiredVariableInAValueIsAnError()
    {
        var error = Assert.Throws<ContainerException>(() => Parse("A=${MISSING:?set it}"));
        Assert.Equal("ComposeVariableRequired", error.ErrorId);
        Assert.Contains("MISSING", error.Message);
        Assert.Contains("set it", error.Message);
    }
}
