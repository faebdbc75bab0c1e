using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Container.Runtime.Errors;
using Container.Runtime.Images;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Images;

/// <summary>
/// A damaged file is an error of ours, never a .NET exception: what is not an archive, or is
/// cut short, is InvalidImageArchive; a layer in it that cannot be unpacked is InvalidLayer.
/// Nothing of it is left in the store.
/// </summary>
public sealed class DamagedArchiveTests : IDisposable
{
    private readonly TestStore store = new(withImage: false);
    private readonly string work = Directory.CreateTempSubdirectory("damaged-").FullName;

    public void Dispose()
    {
        store.Dispose();
        Directory.Delete(work, recursive: true);
    }

    private string WorkFile(string name, byte[] content)
    {
        var path = Path.Combine(work, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    private static byte[] Truncated(string path, double fraction)
    {
        var bytes = File.ReadAllBytes(path);
        return bytes[..(int)(bytes.Length * fraction)];
    }

    private static byte[] Gzipped(byte[] content)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
            gzip.Write(content);
        return output.ToArray();
    }

    /// <summary>The import fails with this id, and leaves no image, no layer and nothing staged.</summary>
    private void AssertRefused(string path, string errorId, ImageReference? name = null)
    {
        var e = Assert.Throws<ContainerException>(() => store.Engine.Importer.Import(path, name, null));
        Assert.Equal(errorId, e.ErrorId);
        Assert.Empty(store.Engine.Images.List());
        store.Engine.Images.CollectGarbage();
        Assert.Empty(Directory.EnumerateFileSystemEntries(store.Paths.LayersDir));
        Assert.Empty(Directory.EnumerateFileSystemEntries(store.Paths.StagingDir));
    }

    public static TheoryData<string, double> Truncations => new()
    {
        { "docker", 0.02 }, { "docker", 0.5 }, { "docker", 0.97 },
        { "oci", 0.02 }, { "oci", 0.5 }, { "oci", 0.97 },
    };

    [Theory]
    [MemberData(nameof(Truncations))]
    public void ATruncatedArchiveIsInvalid(string format, double kept)
    {
        var archive = format == "docker" ? PeerImages.DockerArchive : PeerImages.OciArchive;
        AssertRefused(WorkFile("truncated.tar", Truncated(archive, kept)), "InvalidImageArchive");
        AssertRefused(WorkFile("truncated.tar.gz", Gzipped(Truncated(archive, kept))), "InvalidImageArchive");
        AssertRefused(WorkFile("gzip-truncated.tar.gz", Truncated(WorkFile("whole.tar.gz", Gzipped(File.ReadAllBytes(archive))), kept)), "InvalidImageArchive");
    }

    [Fact]
    public void RandomBytesAreNoArchive()
    {
        AssertRefused(WorkFile("random", RandomNumberGenerator.GetBytes(1 << 20)), "InvalidImageArchive", ImageReference.Parse("random:1"));
        // gzip's magic, then noise
        AssertRefused(WorkFile("random.gz", [0x1f, 0x8b, 8, 0, .. RandomNumberGenerator.GetBytes(1 << 16)]), "InvalidImageArchive", ImageReference.Parse("random:1"));
    }

    [Fact]
    public void ATruncatedRootfsTarballIsInvalid()
    {
        var tarball = BusyboxRootfs.Tarball;
        AssertRefused(WorkFile("cut.tar", Truncated(tarball, 0.5)), "InvalidImageArchive", ImageReference.Parse("cut:1"));
        AssertRefused(WorkFile("cut.tar.gz", Truncated(WorkFile("whole.tar.gz", Gzipped(File.ReadAllBytes(tarball))), 0.5)), "InvalidImageArchive",
            ImageReference.Parse("cut:1"));
    }

    /// <summary>A docker archive of one layer, its files as given.</summary>
    private string DockerArchive(byte[] layer, string? manifest = null, byte[]? config = null)
    {
        var diffId = "sha256:" + Convert.ToHexString(SHA256.HashData(layer)).ToLowerInvariant();
        config ??= Encoding.UTF8.GetBytes($$$"""{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["{{{diffId}}}"]}}""");
        manifest ??= """[{"Config":"config.json","RepoTags":["damaged:1"],"Layers":["layer.tar"]}]""";
        var path = Path.Combine(work, "docker.tar");
        using var file = File.Create(path);
        using var writer = new TarWriter(file);
        foreach (var (name, content) in new[] { ("config.json", config), ("layer.tar", layer), ("manifest.json", Encoding.UTF8.GetBytes(manifest)) })
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content) });
        return path;
    }

    /// <summary>An OCI layout directory of one layer, every digest right.</summary>
    private string OciLayout(byte[] layer, string mediaType = MediaTypes.OciLayer)
    {
        var dir = Path.Combine(work, "layout");
        if (Directory.Exists(dir))
            Directory.Delete(dir, recursive: true);
        var blobs = Directory.CreateDirectory(Path.Combine(dir, "blobs", "sha256")).FullName;
        string Blob(byte[] content)
        {
            var hex = Convert.ToHexString(SHA256.HashData(content)).ToLowerInvariant();
            File.WriteAllBytes(Path.Combine(blobs, hex), content);
            return "sha256:" + hex;
        }
        var layerDigest = Blob(layer);
        var config = Encoding.UTF8.GetBytes($$$"""{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["{{{layerDigest}}}"]}}""");
        var configDigest = Blob(config);
        var manifest = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            schemaVersion = 2,
            mediaType = MediaTypes.OciManifest,
            config = new { mediaType = MediaTypes.OciConfig, digest = configDigest, size = config.Length },
            layers = new[] { new { mediaType, digest = layerDigest, size = layer.Length } },
        }));
        var manifestDigest = Blob(manifest);
        File.WriteAllText(Path.Combine(dir, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
        File.WriteAllText(Path.Combine(dir, "index.json"), JsonSerializer.Serialize(new
        {
            schemaVersion = 2,
            manifests = new[] { new { mediaType = MediaTypes.OciManifest, digest = manifestDigest, size = manifest.Length } },
        }));
        return dir;
    }

    private static byte[] GoodLayer()
    {
        using var output = new MemoryStream();
        using (var writer = new TarWriter(output, leaveOpen: true))
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "file") { DataStream = new MemoryStream(RandomNumberGenerator.GetBytes(40_000)) });
        return output.ToArray();
    }

    public static TheoryData<string> DamagedLayers => ["random", "truncated", "gzip-noise", "gzip-truncated"];

    private static byte[] Damaged(string how)
    {
        var good = GoodLayer();
        return how switch
        {
            "random" => RandomNumberGenerator.GetBytes(good.Length),
            "truncated" => good[..(good.Length / 2)],
            "gzip-noise" => [0x1f, 0x8b, 8, 0, .. RandomNumberGenerator.GetBytes(1000)],
            _ => Gzipped(good)[..(Gzipped(good).Length / 2)],
        };
    }

    [Theory]
    [MemberData(nameof(DamagedLayers))]
    public void ADamagedLayerInADockerArchiveIsInvalidLayer(string how)
    {
        AssertRefused(DockerArchive(Damaged(how)), "InvalidLayer");
    }

    [Theory]
    [MemberData(nameof(DamagedLayers))]
    public void ADamagedLayerInAnOciLayoutIsInvalidLayer(string how)
    {
        AssertRefused(OciLayout(Damaged(how), how.StartsWith("gzip") ? MediaTypes.OciLayerGzip : MediaTypes.OciLayer), "InvalidLayer", ImageReference.Parse("damaged:1"));
    }

    [Fact]
    public void TheGoodLayerImports()
    {
        // what the damaged ones are made from is fine: the errors above are the damage's
        Assert.Single(store.Engine.Importer.Import(DockerArchive(GoodLayer()), null, null));
        Assert.Single(store.Engine.Importer.Import(OciLayout(GoodLayer()), ImageReference.Parse("good:oci"), null));
    }

    [Theory]
    [InlineData("manifest", "this is not json")]
    [InlineData("manifest", """{"Config":"config.json"}""")]
    [InlineData("manifest", """[{"Config":"config.json","RepoTags":["damaged:1"],"Layers":"layer.tar"}]""")]
    [InlineData("config", "{\"rootfs\":")]
    [InlineData("config", """{"created":"yesterday","rootfs":{"type":"layers","diff_ids":[]}}""")]
    public void ADamagedJsonFileIsInvalidImageArchive(string file, string content)
    {
        var archive = file == "manifest" ? DockerArchive(GoodLayer(), manifest: content) : DockerArchive(GoodLayer(), config: Encoding.UTF8.GetBytes(content));
        AssertRefused(archive, "InvalidImageArchive");
        var layout = OciLayout(GoodLayer());
        File.WriteAllText(Path.Combine(layout, "index.json"), content);
        AssertRefused(layout, "InvalidImageArchive", ImageReference.Parse("damaged:1"));
    }

    [Fact]
    public void NoDamageAnywhereGivesAnythingButOurErrors()
    {
        // bytes changed at offsets all through the archive: an image, or one of our errors
        var good = File.ReadAllBytes(PeerImages.DockerArchive);
        for (var offset = 0; offset < good.Length; offset += good.Length / 41)
        {
            var damaged = (byte[])good.Clone();
            for (var i = offset; i < Math.Min(offset + 64, damaged.Length); i++)
                damaged[i] ^= 0x5a;
            var path = WorkFile("damaged.tar", damaged);
            try
            {
                store.Engine.Importer.Import(path, ImageReference.Parse("damaged:1"), null);
            }
            catch (ContainerException)
            {
            }
        }
    }
}
