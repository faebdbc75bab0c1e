using System.Security.Cryptography;
using Container.Runtime.Images;
using Container.Runtime.Processes;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Images;

/// <summary>
/// Sparse files as GNU tar writes them (GNU's old 'S' entries, PAX 0.0, 0.1 and 1.0) unpack
/// into the file they were, as docker unpacks them: its size, its content, its holes still holes.
/// </summary>
public sealed class SparseFileTests : IDisposable
{
    private const long FileSize = 10 << 20;
    private readonly string work = Directory.CreateTempSubdirectory("sparse-").FullName;
    private readonly string source;
    private readonly string target;

    public SparseFileTests()
    {
        source = Path.Combine(work, "source");
        target = Path.Combine(work, "target");
        Directory.CreateDirectory(source);
        Directory.CreateDirectory(target);
        // more data regions than GNU's header holds (4) and than one extension block (21)
        using var file = File.Create(Path.Combine(source, "disk.img"));
        file.SetLength(FileSize);
        for (var i = 0; i < 30; i++)
        {
            file.Position = i * 300_000L;
            file.Write(RandomNumberGenerator.GetBytes(5000));
        }
        file.Position = FileSize - 3;
        file.Write("end"u8);
        File.WriteAllText(Path.Combine(source, "plain"), "after the sparse one\n");
    }

    public void Dispose() => Directory.Delete(work, recursive: true);

    private string Tar(params string[] format)
    {
        var tar = Path.Combine(work, "sparse.tar");
        var result = ProcessRunner.Run("tar", ["--sparse", .. format, "-C", source, "-cf", tar, "disk.img", "plain"]);
        Assert.True(result.Succeeded, result.StandardError);
        return tar;
    }

    private static long AllocatedBytes(string path) => long.Parse(ProcessRunner.Run("stat", ["-c", "%b", path]).StandardOutput) * 512;

    private void AssertUnpackedAsTheOriginal(string directory)
    {
        Assert.Equal(["disk.img", "plain"], Directory.GetFileSystemEntries(directory).Select(Path.GetFileName).Order());
        var unpacked = Path.Combine(directory, "disk.img");
        Assert.Equal(FileSize, new FileInfo(unpacked).Length);
        Assert.Equal(File.ReadAllBytes(Path.Combine(source, "disk.img")), File.ReadAllBytes(unpacked));
        Assert.True(AllocatedBytes(unpacked) < FileSize / 4, $"{AllocatedBytes(unpacked)} bytes allocated: the holes were filled");
        Assert.Equal("after the sparse one\n", File.ReadAllText(Path.Combine(directory, "plain")));
    }

    [Theory]
    [InlineData("--format=gnu")]
    [InlineData("--format=posix", "--sparse-version=0.0")]
    [InlineData("--format=posix", "--sparse-version=0.1")]
    [InlineData("--format=posix", "--sparse-version=1.0")]
    [InlineData("--format=posix")]
    public void UnpacksIntoTheRealFile(params string[] format)
    {
        using (var tar = File.OpenRead(Tar(format)))
            LayerUnpacker.Unpack(tar, target);
        AssertUnpackedAsTheOriginal(target);
    }

    [Theory]
    [InlineData("--format=gnu")]
    [InlineData("--format=posix")]
    public void AGzippedRootfsTarballWithOneImportsIt(string format)
    {
        var tar = Tar(format);
        Assert.True(ProcessRunner.Run("gzip", [tar]).Succeeded);
        using var store = new TestStore(withImage: false);
        var image = Assert.Single(store.Engine.Importer.Import(tar + ".gz", ImageReference.Parse("sparse:1"), null));
        AssertUnpackedAsTheOriginal(store.Engine.Images.LayerDirectory(Assert.Single(image.Layers)));
    }
}
