using Container.Runtime.Build.Context;
using Container.Runtime.Errors;
using Xunit;

namespace Container.Tests.Build;

public sealed class IgnoreRulesTests
{
    // expectations as patternmatcher_test.go's tables and docker's .dockerignore documentation
    [Theory]
    [InlineData("**", "file", true)]
    [InlineData("**", "dir/file", true)]
    [InlineData("**/", "file", true)]
    [InlineData("**/**", "dir/file", true)]
    [InlineData("**/dir", "dir", true)]
    [InlineData("**/dir", "dir/file", true)]
    [InlineData("**/dir2/*", "dir/dir2/file", true)]
    [InlineData("**/dir2/**", "dir/dir2/dir3/file", true)]
    [InlineData("**file", "file", true)]
    [InlineData("**file", "dir/dir/file", true)]
    [InlineData("**/file*", "dir/dir/file.txt", true)]
    [InlineData("**/file*.txt*", "dir/dir/file.txt", true)]
    [InlineData("**/**/*.txt", "dir/dir/file.txt", true)]
    [InlineData("**/**/*.txt2", "dir/dir/file.txt", false)]
    [InlineData("**.txt", "a/b.txt", true)]
    [InlineData("**.txt", "b.txt", true)]
    [InlineData("*", "a", true)]
    [InlineData("*", "a/b", true)] // the parent 'a' matches
    [InlineData("a*", "ab/c", true)]
    [InlineData("*/b", "a/b", true)]
    [InlineData("*/b", "a/c/b", false)]
    [InlineData("a?c", "abc", true)]
    [InlineData("a?c", "a/c", false)]
    [InlineData("a[bc]d", "acd", true)]
    [InlineData("a[bc]d", "aed", false)]
    [InlineData("a[^bc]d", "aed", true)]
    [InlineData("a[^bc]d", "abd", false)]
    [InlineData("a[b-d]e", "ace", true)]
    [InlineData("a[b-d]e", "afe", false)]
    [InlineData("a\\*b", "a*b", true)]
    [InlineData("a\\*b", "axb", false)]
    [InlineData("a.b", "axb", false)]
    [InlineData("a+b", "a+b", true)]
    [InlineData("a(b)", "a(b)", true)]
    [InlineData("dir/**", "dir/a/b", true)]
    [InlineData("dir/**", "dirx/a", false)]
    [InlineData("dir", "dir/a/b", true)]
    [InlineData("dir", "dirx", false)]
    [InlineData("dir/*.md", "dir/x.md", true)]
    [InlineData("dir/*.md", "dir/sub/x.md", false)]
    public void OnePatternDecidesAsPatternmatcher(string pattern, string path, bool excluded) =>
        Assert.Equal(excluded, IgnoreRules.Parse(pattern).Excludes(path));

    [Fact]
    public void CommentsBlankLinesAndSpacesAreNotPatterns()
    {
        var rules = IgnoreRules.Parse("# a comment\n\n   \n  temp?  \r\n  # indented comment\n");
        Assert.Equal(["temp?"], rules.Patterns);
        Assert.True(rules.Excludes("temp1"));
        Assert.False(rules.Excludes("# a comment"));
    }

    [Fact]
    public void AByteOrderMarkIsNotPartOfTheFirstPattern() =>
        Assert.True(IgnoreRules.Parse("\uFEFFsecret\n").Excludes("secret"));

    [Fact]
    public void PatternsAreCleanedAndALeadingSlashDropped()
    {
        var rules = IgnoreRules.Parse("/a/../b/./c/\n!/keep//x");
        Assert.Equal(["b/c", "!keep/x"], rules.Patterns);
        Assert.True(rules.Excludes("b/c/d"));
    }

    [Fact]
    public void TheLastMatchingPatternWins()
    {
        // docker's documented example: *.md excluded, README.md kept
        var rules = IgnoreRules.Parse("*.md\n!README.md");
        Assert.True(rules.Excludes("CHANGES.md"));
        Assert.False(rules.Excludes("README.md"));

        // and README-secret.md excluded again by a later line
        rules = IgnoreRules.Parse("*.md\n!README*.md\nREADME-secret.md");
        Assert.True(rules.Excludes("README-secret.md"));
        Assert.False(rules.Excludes("README-public.md"));

        // an exception first changes nothing: the later exclusion wins
        rules = IgnoreRules.Parse("!README.md\n*.md");
        Assert.True(rules.Excludes("README.md"));
    }

    [Fact]
    public void AnExceptionReincludesAFileUnderAnExcludedDirectory()
    {
        var rules = IgnoreRules.Parse("docs\n!docs/keep.txt");
        Assert.True(rules.Excludes("docs"));
        Assert.True(rules.Excludes("docs/other.txt"));
        Assert.False(rules.Excludes("docs/keep.txt"));
        Assert.True(rules.MayIncludeUnder("docs"));
        Assert.False(rules.MayIncludeUnder("other"));
    }

    [Fact]
    public void WithoutExceptionsAnExcludedDirectoryCanBeSkipped()
    {
        var rules = IgnoreRules.Parse("node_modules\n*.log");
        Assert.False(rules.HasExceptions);
        Assert.False(rules.MayIncludeUnder("node_modules"));
    }

    [Fact]
    public void AWildcardExceptionKeepsEveryDirectoryItMightReach()
    {
        var rules = IgnoreRules.Parse("*\n!**/*.go\n!src/*/main.c");
        Assert.True(rules.MayIncludeUnder("anything/deep"));
        Assert.False(rules.Excludes("a/b/c.go"));
        Assert.True(rules.Excludes("a/b/c.c"));
        rules = IgnoreRules.Parse("*\n!src/*/main.c");
        Assert.True(rules.MayIncludeUnder("src/x"));
        Assert.False(rules.MayIncludeUnder("lib"));
        Assert.False(rules.Excludes("src/x/main.c"));
    }

    [Fact]
    public void TheContextRootIsNeverExcluded() => Assert.False(IgnoreRules.Parse("*\n**").Excludes("."));

    [Theory]
    [InlineData("!")]
    [InlineData("a[b")]
    [InlineData("[]")]
    public void AMalformedPatternIsRefused(string pattern)
    {
        var e = Assert.Throws<ContainerException>(() => IgnoreRules.Parse(pattern));
        Assert.Equal("InvalidIgnorePattern", e.ErrorId);
    }

    [Fact]
    public void ReadPrefersTheDockerfilesOwnIgnoreFile()
    {
        var dir = Directory.CreateTempSubdirectory("ignore-");
        try
        {
            Assert.Empty(IgnoreRules.Read(dir.FullName).Patterns);
            File.WriteAllText(Path.Combine(dir.FullName, ".dockerignore"), "common\n");
            Assert.Equal(["common"], IgnoreRules.Read(dir.FullName, "build/app.Dockerfile").Patterns);
            Directory.CreateDirectory(Path.Combine(dir.FullName, "build"));
            File.WriteAllText(Path.Combine(dir.FullName, "build", "app.Dockerfile.dockerignore"), "own\n");
            Assert.Equal(["own"], IgnoreRules.Read(dir.FullName, "build/app.Dockerfile").Patterns);
            Assert.Equal(["common"], IgnoreRules.Read(dir.FullName).Patterns);
        }
        finally
        {
            dir.Delete(true);
        }
    }
}
