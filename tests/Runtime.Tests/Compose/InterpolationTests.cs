using Container.Runtime.Compose.Loading;
using Xunit;

namespace Container.Tests.Compose;

/// <summary>Compose's variable syntax, on compose-go's template test cases (FOO=first, BAR empty, JSON set).</summary>
public sealed class InterpolationTests
{
    private static readonly Dictionary<string, string> Variables = new() { ["FOO"] = "first", ["BAR"] = "", ["JSON"] = """{"json":2}""" };

    private static string Expand(string text) => Interpolation.Expand(text, Variables.GetValueOrDefault);

    [Theory]
    [InlineData("$${foo}", "${foo}")]
    [InlineData("foo", "foo")]
    [InlineData("a $ string", "a $ string")]
    [InlineData("^REGEX$", "^REGEX$")]
    [InlineData("$}", "$}")]
    [InlineData("$", "$")]
    [InlineData("This $FOO var", "This first var")]
    [InlineData("This ${FOO} var", "This first var")]
    [InlineData("This ${missing} var", "This  var")]
    [InlineData("$FOO-bar", "first-bar")]
    [InlineData("-ok ${BAR:-defaultValue}", "-ok defaultValue")]
    [InlineData("+ok ${UNSET:-${BAR-defaultValue}}", "+ok ")]
    [InlineData("-ok ${FOO:-defaultValue}", "-ok first")]
    [InlineData(":-ok ${UNSET-defaultValue}", ":-ok defaultValue")]
    [InlineData(":-ok ${BAR-defaultValue}", ":-ok ")]
    [InlineData("ok ${UNSET_VAR-${FOO} ${FOO}}", "ok first first")]
    [InlineData("ok ${BAR:-$FOO}", "ok first")]
    [InlineData("ok ${BAR+$FOO}", "ok first")]
    [InlineData("ok ${BAR:+$FOO}", "ok ")]
    [InlineData("ok ${UNSET+alt}", "ok ")]
    [InlineData("ok ${BAR+$FOO ${FOO:+second}}", "ok first second")]
    [InlineData("ok ${FOO:?err}", "ok first")]
    [InlineData("ok ${BAR?err}", "ok ")]
    [InlineData("${UNSET_VAR-myerror?msg}", "myerror?msg")]
    [InlineData("""ok ${missing:-{"json":1}}""", """ok {"json":1}""")]
    [InlineData("""ok ${JSON-{"json":1}}""", """ok {"json":2}""")]
    [InlineData("${FOO}${FOO}$$FOO", "firstfirst$FOO")]
    public void ExpandsAsComposeDoes(string template, string expected) => Assert.Equal(expected, Expand(template));

    [Theory]
    [InlineData("not ok ${UNSET_VAR:?Mandatory Variable Unset}", "UNSET_VAR", "Mandatory Variable Unset")]
    [InlineData("not ok ${BAR:?Mandatory Variable Empty}", "BAR", "Mandatory Variable Empty")]
    [InlineData("not ok ${UNSET_VAR:?}", "UNSET_VAR", "")]
    [InlineData("not ok ${UNSET_VAR?Mandatory Variable Unset}", "UNSET_VAR", "Mandatory Variable Unset")]
    [InlineData("not ok ${UNSET_VAR?Mandatory Variable ${FOO}}", "UNSET_VAR", "Mandatory Variable first")]
    public void ARequiredVariableWithoutAValueIsAnErrorNamingItAndItsMessage(string template, string variable, string message)
    {
        var error = Assert.Throws<TemplateException>(() => Expand(template));
        Assert.Equal(variable, error.Variable);
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("${")]
    [InlineData("${}")]
    [InlineData("${ }")]
    [InlineData("${ foo}")]
    [InlineData("${foo }")]
    [InlineData("${foo!}")]
    public void AMalformedTemplateIsAnError(string template)
    {
        var error = Assert.Throws<TemplateException>(() => Expand(template));
        Assert.Null(error.Variable);
        Assert.Contains("invalid template", error.Message);
    }
}
