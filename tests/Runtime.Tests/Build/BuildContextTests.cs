using Container.Runtime.Build.Context;
using Container.Runtime.Errors;
using Xunit;

namespace Container.Tests.Build;

public sealed class BuildContextTests : IDisposable
{
    private readonly DirectoryInfo root = Directory.CreateTempSubdirectory("context-");

    public BuildContextTests()
    {
        Write("app/main.go", "package main");
        Write("app/util.go", "package main");
        Write("app/notes.md", "notes");
        Write("app/sub/deep.go", "package sub");
        Write("README.md", "readme");
        Write("a.txt", "a");
        Write("b.txt", "b");
        Directory.CreateDirectory(Path.Combine(root.FullName, "empty"));
    }

    public void Dispose() => root.Delete(true);

    private void Write(string path, string text)
    {
        var full = Path.Combine(root.FullName, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
    }

    private BuildContext Context(string ignore = "") => new(root.FullName, IgnoreRules.Parse(ignore));

    private static string[] Paths(IReadOnlyList<ContextEntry> entries) => [.. entries.Select(e => e.Path)];

    [Fact]
    public void AFileSourceIsThatFileUnderItsName()
    {
        var entry = Assert.Single(Context().Select(["app/main.go"]));
        Assert.Equal("app/main.go", entry.Path);
        Assert.Equal("main.go", entry.DestinationPath);
        Assert.Equal(ContextEntryType.File, entry.Type);
        Assert.Equal(12, entry.Size);
    }

    [Fact]
    public void ADirectorySourceIsItsContentsInOrder()
    {
        var entries = Context().Select(["app"]);
        Assert.Equal(["app/main.go", "app/notes.md", "app/sub", "app/sub/deep.go", "app/util.go"], Paths(entries));
        Assert.Equal(["main.go", "notes.md", "sub", "sub/deep.go", "util.go"], entries.Select(e => e.DestinationPath));
    }

    [Fact]
    public void AnEmptyDirectoryIsNoError() => Assert.Empty(Context().Select(["empty"]));

    [Fact]
    public void WildcardsMatchPerName()
    {
        Assert.Equal(["a.txt", "b.txt"], Paths(Context().Select(["*.txt"])));
        Assert.Equal(["app/main.go", "app/util.go"], Paths(Context().Select(["app/*.go"])));
        Assert.Equal(["app/sub/deep.go"], Paths(Context().Select(["*/s?b/*.go"])));
        Assert.Equal(["a.txt"], Paths(Context().Select(["[a-a].txt"])));
    }

    [Fact]
    public void AWildcardMatchingADirectoryCopiesItsContents()
    {
        var entries = Context().Select(["ap?"]);
        Assert.Contains(entries, e => e.Path == "app/sub/deep.go" && e.DestinationPath == "sub/deep.go");
    }

    [Theory]
    [InlineData("/a.txt")]
    [InlineData("../../a.txt")]
    [InlineData("app/../../a.txt")]
    [InlineData("./a.txt")]
    public void ASourceCannotLeaveTheRoot(string source) =>
        Assert.Equal(["a.txt"], Paths(Context().Select([source])));

    [Fact]
    public void TheRootIsTheWholeContextLessWhatIsIgnored()
    {
        var paths = Paths(Context("**/*.md\n!README.md").Select(["."]));
        Assert.Contains("README.md", paths);
        Assert.DoesNotContain("app/notes.md", paths);
        Assert.Contains("app/sub/deep.go", paths);
    }

    [Fact]
    public void IgnoredFilesAreNeverSelected()
    {
        var context = Context("*.txt\napp/sub");
        Assert.DoesNotContain("app/sub/deep.go", Paths(context.Select(["app"])));
        var e = Assert.Throws<ContainerException>(() => context.Select(["a.txt"]));
        Assert.Equal("BuildSourceNotFound", e.ErrorId);
        Assert.Throws<ContainerException>(() => context.Select(["*.txt"]));
    }

    [Fact]
    public void AnExceptionUnderAnExcludedDirectoryIsStillFound()
    {
        var paths = Paths(Context("app\n!app/sub/deep.go").Select(["."]));
        Assert.Contains("app/sub/deep.go", paths);
        Assert.DoesNotContain("app/main.go", paths);
    }

    [Fact]
    public void ASourceThatMatchesNothingIsNamed()
    {
        var e = Assert.Throws<ContainerException>(() => Context().Select(["a.txt", "missing/*.c"]));
        Assert.Equal("BuildSourceNotFound", e.ErrorId);
        Assert.Equal(ErrorKind.ObjectNotFound, e.Kind);
        Assert.Contains("missing/*.c", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LinksAreEntriesOfTheirOwnAndNeverFollowed()
    {
        var outside = Directory.CreateTempSubdirectory("outside-");
        try
        {
            File.WriteAllText(Path.Combine(outside.FullName, "secret"), "secret");
            File.CreateSymbolicLink(Path.Combine(root.FullName, "app", "escape"), outside.FullName);
            File.CreateSymbolicLink(Path.Combine(root.FullName, "link.txt"), "a.txt");

            var entries = Context().Select(["app", "link.txt"]);
            var escape = Assert.Single(entries, e => e.Path == "app/escape");
            Assert.Equal(ContextEntryType.SymbolicLink, escape.Type);
            Assert.Equal(outside.FullName, escape.LinkTarget);
            Assert.DoesNotContain(entries, e => e.Path.Contains("secret", StringComparison.Ordinal));
            Assert.Equal("a.txt", Assert.Single(entries, e => e.Path == "link.txt").LinkTarget);

            // a path through the link cannot reach outside
            Assert.Throws<ContainerException>(() => Context().Select(["app/escape/secret"]));
            Assert.Throws<ContainerException>(() => Context().Select(["app/escape/*"]));
        }
        finally
        {
            outside.Delete(true);
        }
    }

    [Fact]
    public void ModeAndOwnerAreRead()
    {
        var file = Path.Combine(root.FullName, "a.txt");
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.SetUser);
        var entry = Assert.Single(Context().Select(["a.txt"]));
        Assert.Equal(0b100_101_000_000u, entry.Mode);
        Assert.Equal(0u, entry.Uid);
    }
}
