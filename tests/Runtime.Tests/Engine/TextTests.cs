using Container.Runtime.Text;
using Xunit;

namespace Container.Tests.Engine;

public sealed class TextTests
{
    [Theory]
    [InlineData("web*", "web1", true)]
    [InlineData("web*", "db", false)]
    [InlineData("w?b", "wab", true)]
    [InlineData("[wd]*", "db1", true)]
    [InlineData("[a-c]x", "bx", true)]
    [InlineData("[a-c]x", "dx", false)]
    [InlineData("WEB*", "web1", true)]
    [InlineData("a`*b", "a*b", true)]
    [InlineData("a`*b", "axb", false)]
    [InlineData("a.b", "axb", false)]
    public void WildcardsMatchAsPowerShells(string pattern, string text, bool matches) =>
        Assert.Equal(matches, Wildcard.Parse(pattern).IsMatch(text));

    [Theory]
    [InlineData("web", false)]
    [InlineData("web*", true)]
    [InlineData("w?b", true)]
    [InlineData("[ab]", true)]
    [InlineData("a`*b", false)]
    public void KnowsAPatternFromALiteral(string text, bool isPattern) => Assert.Equal(isPattern, Wildcard.IsPattern(text));

    [Theory]
    [InlineData(new[] { "web" }, "web")]
    [InlineData(new[] { "a`*b" }, "a*b")]
    [InlineData(new[] { "web*" }, null)]
    [InlineData(new[] { "web", "db" }, null)]
    public void NamesOneTargetOnlyByASingleLiteral(string[] names, string? target) => Assert.Equal(target, Wildcard.SoleLiteral(names));

    [Theory]
    [InlineData(0.5, "Less than a second")]
    [InlineData(1, "1 second")]
    [InlineData(42, "42 seconds")]
    [InlineData(60, "About a minute")]
    [InlineData(5 * 60, "5 minutes")]
    [InlineData(3600, "About an hour")]
    [InlineData(5 * 3600, "5 hours")]
    [InlineData(3 * 86400, "3 days")]
    [InlineData(21 * 86400, "3 weeks")]
    [InlineData(90 * 86400, "3 months")]
    [InlineData(800 * 86400, "2 years")]
    public void DurationsReadAsDockers(double seconds, string text) => Assert.Equal(text, HumanDuration.Format(TimeSpan.FromSeconds(seconds)));

    [Theory]
    [InlineData(0, "0B")]
    [InlineData(999, "999B")]
    [InlineData(1000, "1kB")]
    [InlineData(4_260_000, "4.26MB")]
    [InlineData(12_345_678, "12.3MB")]
    [InlineData(123_456_789, "123MB")]
    [InlineData(2_000_000_000, "2GB")]
    public void SizesReadAsDockers(long bytes, string text) => Assert.Equal(text, ByteSize.Format(bytes));
}
