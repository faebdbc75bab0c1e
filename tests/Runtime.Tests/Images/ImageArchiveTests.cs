using System.Text.Json;
using Container.Runtime.Containers;
using Container.Runtime.Errors;
using Container.Runtime.Images;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Images;

/// <summary>
/// Round trips with the peers: images umoci and skopeo make import and run; skopeo reads and
/// copies what we export; our own export and import keep the image as it was.
/// </summary>
public sealed class ImageArchiveTests : IDisposable
{
    private readonly TestStore store = new(withImage: false);
    private readonly string work = Directory.CreateTempSubdirectory("archives-").FullName;

    public void Dispose()
    {
        store.Dispose();
        Directory.Delete(work, recursive: true);
    }

    private ContainerImage ImportOne(string path, string? name = null)
    {
        var images = store.Engine.Importer.Import(path, name != null ? ImageReference.Parse(name) : null, null);
        return Assert.Single(images);
    }

    /// <summary>What a container from the image sees: the peer's added file, no deleted file, its config.</summary>
    private string RunPeerImage(string image)
    {
        store.Containers.Create(new ContainerSpec { Image = image, Name = "peer", Command = ["sh", "-c", "cat peer-made; test -e group && echo has-group || echo no-group; echo $MADE_BY"] });
        store.Containers.Start("peer");
        Assert.Equal(0, store.Containers.Wait("peer", TimeSpan.FromSeconds(30)).ExitCode);
        return store.Output("peer");
    }

    private const string PeerImageSees = "by umoci\nno-group\numoci";

    [Fact]
    [Trait("Category", "Kernel")]
    public void AnUmociLayoutImportsAndRuns()
    {
        // the layout's index names the image "v1", a tag alone: the import needs a name
        var e = Assert.Throws<ContainerException>(() => ImportOne(PeerImages.Layout));
        Assert.Equal("ImageNameRequired", e.ErrorId);

        var image = ImportOne(PeerImages.Layout, "peer/busybox:umoci");
        Assert.Equal(2, image.Layers.Count);
        Assert.Equal("/etc", image.Config.Config!.WorkingDir);
        Assert.Equal(PeerImageSees, RunPeerImage("peer/busybox:umoci"));
    }

    [Fact]
    [Trait("Category", "Kernel")]
    public void ASkopeoDockerArchiveImportsWithItsTag()
    {
        var image = ImportOne(PeerImages.DockerArchive);
        Assert.Equal(("peer/busybox", "docker"), (image.Repository, image.Tag));
        Assert.Equal(PeerImageSees, RunPeerImage("peer/busybox:docker"));
    }

    [Fact]
    [Trait("Category", "Kernel")]
    public void ASkopeoOciArchiveImportsWithItsName()
    {
        var image = ImportOne(PeerImages.OciArchive);
        Assert.Equal(("peer/busybox", "oci"), (image.Repository, image.Tag));
        Assert.Equal(PeerImageSees, RunPeerImage("peer/busybox:oci"));
    }

    [Fact]
    public void TheSameImageFromEveryFormatIsOneImage()
    {
        var fromLayout = ImportOne(PeerImages.Layout, "peer/busybox:umoci");
        var fromDocker = ImportOne(PeerImages.DockerArchive);
        var fromOci = ImportOne(PeerImages.OciArchive);
        Assert.Equal(fromLayout.Id, fromOci.Id);
        Assert.Equal(fromLayout.Id, fromDocker.Id);
        Assert.Equal(fromLayout.Layers, fromDocker.Layers);
        // the layers were unpacked once
        Assert.Equal(2, Directory.GetDirectories(store.Paths.LayersDir).Length);
    }

    [Theory]
    [InlineData(ImageArchiveFormat.DockerArchive, "docker-archive")]
    [InlineData(ImageArchiveFormat.OciArchive, "oci-archive")]
    public void SkopeoReadsAndCopiesWhatWeExport(ImageArchiveFormat format, string transport)
    {
        var image = ImportOne(PeerImages.DockerArchive);
        var archive = Path.Combine(work, "exported.tar");
        store.Engine.Exporter.Export(["peer/busybox:docker"], archive, format);

        var reference = format == ImageArchiveFormat.OciArchive ? $"{transport}:{archive}:peer/busybox:docker" : $"{transport}:{archive}";
        var inspect = PeerTools.Skopeo("inspect", "--config", reference);
        Assert.True(inspect.Succeeded, inspect.StandardError);
        var config = JsonDocument.Parse(inspect.StandardOutput).RootElement;
        Assert.Equal(image.Layers, config.GetProperty("rootfs").GetProperty("diff_ids").EnumerateArray().Select(d => d.GetString()));
        Assert.Contains("MADE_BY=umoci", config.GetProperty("config").GetProperty("Env").EnumerateArray().Select(e => e.GetString()));

        var copy = PeerTools.Skopeo("copy", reference, $"oci:{Path.Combine(work, "copied")}:again");
        Assert.True(copy.Succeeded, copy.StandardError);
        // and what skopeo copied comes back with the same layers (converting to OCI, skopeo
        // rewrites the config, so the image id may change)
        Assert.Equal(image.Layers, ImportOne(Path.Combine(work, "copied"), "copied/back:again").Layers);
    }

    [Theory]
    [InlineData(ImageArchiveFormat.DockerArchive)]
    [InlineData(ImageArchiveFormat.OciArchive)]
    public void OurExportImportsBackAsTheSameImage(ImageArchiveFormat format)
    {
        var image = ImportOne(PeerImages.Layout, "peer/busybox:umoci");
        var archive = Path.Combine(work, "exported.tar");
        store.Engine.Exporter.Export(["peer/busybox:umoci"], archive, format);

        using var other = new TestStore(withImage: false);
        var back = Assert.Single(other.Engine.Importer.Import(archive, null, null));
        Assert.Equal(image.Id, back.Id);
        Assert.Equal("docker.io/peer/busybox:umoci", back.Reference);
        Assert.Equal(image.Layers, back.Layers);
    }

    [Fact]
    public void SeveralImagesGoInOneArchive()
    {
        ImportOne(PeerImages.DockerArchive);
        store.Engine.Images.Tag("peer/busybox:docker", ImageReference.Parse("second:one"));
        var archive = Path.Combine(work, "two.tar");
        store.Engine.Exporter.Export(["peer/busybox:docker", "second:one"], archive, ImageArchiveFormat.DockerArchive);

        using var other = new TestStore(withImage: false);
        var images = other.Engine.Importer.Import(archive, null, null);
        Assert.Equal(["docker.io/library/second:one", "docker.io/peer/busybox:docker"], images.Select(i => i.Reference).Order());
    }

    [Fact]
    public void AGzippedArchiveImportsToo()
    {
        var gzipped = Path.Combine(work, "archive.tar.gz");
        using (var input = File.OpenRead(PeerImages.DockerArchive))
        using (var output = new System.IO.Compression.GZipStream(File.Create(gzipped), System.IO.Compression.CompressionLevel.Fastest))
            input.CopyTo(output);
        Assert.Equal("docker", ImportOne(gzipped).Tag);
        Assert.Empty(Directory.EnumerateFileSystemEntries(store.Paths.StagingDir));
    }

    [Fact]
    [Trait("Category", "Kernel")]
    public void ARootfsTarballImportsAsOneLayer()
    {
        var tarball = Path.Combine(work, "rootfs.tar.gz");
        using (var input = File.OpenRead(BusyboxRootfs.Tarball))
        using (var output = new System.IO.Compression.GZipStream(File.Create(tarball), System.IO.Compression.CompressionLevel.Fastest))
            input.CopyTo(output);
        var image = ImportOne(tarball, "from/tarball:1");
        Assert.Single(image.Layers);
        Assert.Equal("ImageNameRequired", Assert.Throws<ContainerException>(() => ImportOne(tarball)).ErrorId);
        store.Containers.Create(new ContainerSpec { Image = "from/tarball:1", Name = "t", Command = ["sh", "-c", "echo ran"] });
        store.Containers.Start("t");
        store.Containers.Wait("t", TimeSpan.FromSeconds(30));
        Assert.Equal("ran", store.Output("t"));
    }

    [Fact]
    public void ATarballThatEscapesIsRefusedAndLeavesNothingVisible()
    {
        var tarball = Path.Combine(work, "evil.tar");
        using (var file = File.Create(tarball))
        using (var writer = new System.Formats.Tar.TarWriter(file))
            writer.WriteEntry(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, "../../escaped") { DataStream = new MemoryStream([1]) });
        var e = Assert.Throws<ContainerException>(() => ImportOne(tarball, "evil:1"));
        Assert.Equal("InvalidLayer", e.ErrorId);
        Assert.Empty(store.Engine.Images.List());
        Assert.Empty(Directory.EnumerateFileSystemEntries(store.Paths.LayersDir));
        Assert.Empty(Directory.EnumerateFileSystemEntries(store.Paths.StagingDir));
    }

    [Fact]
    public void ACorruptBlobIsRefused()
    {
        var layout = Path.Combine(work, "layout");
        PeerImages.Run("cp", "-a", PeerImages.Layout, layout);
        var blob = Directory.GetFiles(Path.Combine(layout, "blobs", "sha256")).OrderByDescending(f => new FileInfo(f).Length).First();
        File.AppendAllText(blob, "tampered");
        var e = Assert.Throws<ContainerException>(() => ImportOne(layout, "tampered:1"));
        Assert.Equal("DigestMismatch", e.ErrorId);
        Assert.Empty(store.Engine.Images.List());
    }

    [Fact]
    public void AnArchiveOfSeveralImagesTakesNoSingleName()
    {
        ImportOne(PeerImages.DockerArchive);
        store.Engine.Images.Tag("peer/busybox:docker", ImageReference.Parse("second:one"));
        var archive = Path.Combine(work, "two.tar");
        store.Engine.Exporter.Export(["peer/busybox:docker", "second:one"], archive, ImageArchiveFormat.OciArchive);
        var e = Assert.Throws<ContainerException>(() => store.Engine.Importer.Import(archive, ImageReference.Parse("one:name"), null));
        Assert.Equal("SeveralImagesOneName", e.ErrorId);
    }
}
