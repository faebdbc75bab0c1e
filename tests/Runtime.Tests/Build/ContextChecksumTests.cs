using System.Diagnostics;
using Container.Runtime.Build.Context;
using Xunit;

namespace Container.Tests.Build;

public sealed class ContextChecksumTests : IDisposable
{
    private readonly DirectoryInfo root = Directory.CreateTempSubdirectory("checksum-");

    public ContextChecksumTests()
    {
        Write("src/a.c", "int a;");
        Write("src/b.c", "int b;");
        Write("src/lib/c.c", "int c;");
        File.CreateSymbolicLink(Path.Combine(root.FullName, "src", "link"), "a.c");
    }

    public void Dispose() => root.Delete(true);

    private string Full(string path) => Path.Combine(root.FullName, path);

    private void Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Full(path))!);
        File.WriteAllText(Full(path), text);
    }

    private ContextChecksum Checksum(string source = "src") =>
        ContextChecksum.Compute(new BuildContext(root.FullName, IgnoreRules.None).Select([source]));

    [Fact]
    public void TheSameTreeHasTheSameChecksum()
    {
        var first = Checksum();
        var second = Checksum();
        Assert.StartsWith("sha256:", first.Digest, StringComparison.Ordinal);
        Assert.Equal(71, first.Digest.Length);
        Assert.Equal(first.Digest, second.Digest);
        Assert.Equal(["src/a.c", "src/b.c", "src/lib", "src/lib/c.c", "src/link"], first.Entries.Select(e => e.Path));
        Assert.Null(ContextChecksum.FirstDifference(first, second));
    }

    [Fact]
    public void ATouchAloneKeepsTheChecksum()
    {
        var before = Checksum();
        File.SetLastWriteTimeUtc(Full("src/b.c"), DateTime.UtcNow.AddDays(-3));
        Directory.SetLastWriteTimeUtc(Full("src/lib"), DateTime.UtcNow.AddDays(-3));
        Assert.Equal(before.Digest, Checksum().Digest);
    }

    [Fact]
    public void AContentChangeIsNamed()
    {
        var before = Checksum();
        // same size: only the content tells
        File.WriteAllText(Full("src/lib/c.c"), "int d;");
        var after = Checksum();
        Assert.NotEqual(before.Digest, after.Digest);
        Assert.Equal("src/lib/c.c", ContextChecksum.FirstDifference(before, after));
    }

    [Fact]
    public void AChmodIsNamed()
    {
        var before = Checksum();
        File.SetUnixFileMode(Full("src/b.c"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var after = Checksum();
        Assert.NotEqual(before.Digest, after.Digest);
        Assert.Equal("src/b.c", ContextChecksum.FirstDifference(before, after));
    }

    [Fact]
    public void AChownIsNamed()
    {
        var before = Checksum();
        using (var chown = Process.Start("chown", ["1234:5678", Full("src/a.c")]))
        {
            chown.WaitForExit();
            Assert.Equal(0, chown.ExitCode);
        }
        var after = Checksum();
        Assert.NotEqual(before.Digest, after.Digest);
        Assert.Equal("src/a.c", ContextChecksum.FirstDifference(before, after));
    }

    [Fact]
    public void ALinkTargetChangeIsNamed()
    {
        var before = Checksum();
        File.Delete(Full("src/link"));
        File.CreateSymbolicLink(Full("src/link"), "b.c");
        Assert.Equal("src/link", ContextChecksum.FirstDifference(before, Checksum()));
    }

    [Fact]
    public void AddedAndRemovedFilesAreNamed()
    {
        var before = Checksum();
        Write("src/aa.c", "new");
        Assert.Equal("src/aa.c", ContextChecksum.FirstDifference(before, Checksum()));

        var withNew = Checksum();
        File.Delete(Full("src/b.c"));
        Assert.Equal("src/b.c", ContextChecksum.FirstDifference(withNew, Checksum()));

        var withoutB = Checksum();
        File.Delete(Full("src/link"));
        Assert.Equal("src/link", ContextChecksum.FirstDifference(withoutB, Checksum()));
    }

    [Fact]
    public void ALargeFileIsHashedWhole()
    {
        var big = new byte[3 << 20];
        new Random(7).NextBytes(big);
        File.WriteAllBytes(Full("src/big.bin"), big);
        var before = Checksum();
        big[^1] ^= 1;
        File.WriteAllBytes(Full("src/big.bin"), big);
        Assert.Equal("src/big.bin", ContextChecksum.FirstDifference(before, Checksum()));
    }
}
