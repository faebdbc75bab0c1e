using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Container.Runtime;
using Container.Runtime.Containers;
using Container.Runtime.Errors;
using Container.Runtime.Images;
using Container.Runtime.Registries;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Registries;

/// <summary>
/// Image formats through a real registry: zstd and zstd:chunked layers skopeo pushes we pull
/// and run; what we push converted (-Format, -Compression) skopeo reads and copies, verifying
/// every digest; a manifest list of two platforms gives each its own image.
/// </summary>
[Trait("Category", "Registry")]
public sealed class RegistryFormatTests : IDisposable
{
    private readonly TestStore store = new();
    private readonly TestStore other = new();
    private readonly string dir = Directory.CreateTempSubdirectory("registry-format-").FullName;

    public void Dispose()
    {
        store.Dispose();
        other.Dispose();
        Directory.Delete(dir, recursive: true);
    }

    private static LocalRegistry Start()
    {
        var unavailable = LocalRegistry.Unavailable;
        Skip.If(unavailable != null, unavailable);
        return LocalRegistry.Start();
    }

    private RegistryService Registries(TestStore of) =>
        new(of.Engine.Images, new RegistryCredentials(Path.Combine(dir, "auth.json"), []), new RegistryTransportOptions());

    /// <summary>An image of the store with a layer of its own over the test image's (which are plain tars, as all made here).</summary>
    private string Committed(string name)
    {
        var seed = "seed-" + name.Replace(':', '-');
        Assert.Equal(0, store.Run(seed, "sh", "-c", "echo made here > /made-here").Container.ExitCode);
        store.Containers.Commit(seed, ImageReference.Parse(name));
        return name;
    }

    private static string RunIn(TestStore where, string image, string name = "from-registry")
    {
        where.Containers.Create(new ContainerSpec { Image = image, Name = name, Command = ["sh", "-c", "cat /made-here 2>/dev/null; echo ran from the registry"] });
        where.Containers.Start(name);
        where.Containers.Wait(name, TimeSpan.FromSeconds(60));
        return where.Output(name);
    }

    private static JsonNode RawManifest(LocalRegistry registry, string repositoryAndTag)
    {
        var result = registry.Skopeo("inspect", "--raw", $"docker://{registry.Host}/{repositoryAndTag}");
        Assert.True(result.Succeeded, result.StandardError);
        return JsonNode.Parse(result.StandardOutput)!;
    }

    private static List<string> LayerTypes(JsonNode manifest) =>
        manifest["layers"]!.AsArray().Select(l => l!["mediaType"]!.GetValue<string>()).ToList();

    /// <summary>skopeo copies the image to an OCI layout: it fetches every blob and checks its digest and size.</summary>
    private void SkopeoCopiesIt(LocalRegistry registry, string repositoryAndTag)
    {
        var layout = Path.Combine(dir, "copied-" + repositoryAndTag.Replace('/', '-').Replace(':', '-'));
        registry.CopyWithSkopeo($"docker://{registry.Host}/{repositoryAndTag}", $"oci:{layout}:copied");
        Assert.True(File.Exists(Path.Combine(layout, "index.json")));
    }

    [SkippableTheory]
    [InlineData("zstd")]
    [InlineData("zstd:chunked")]
    public void ZstdLayersSkopeoPushesWePullAndRun(string compression)
    {
        using var registry = Start();
        var repository = "peer/zstd:" + compression.Replace(':', '-');
        var result = registry.Skopeo("copy", "--dest-compress-format", compression, $"oci:{PeerImages.Layout}:v1", $"docker://{registry.Host}/{repository}");
        Assert.True(result.Succeeded, result.StandardError);
        Assert.All(LayerTypes(RawManifest(registry, repository)), t => Assert.Equal(MediaTypes.OciLayerZstd, t));

        var pulled = Registries(other).Pull($"{registry.Host}/{repository}");
        var (manifest, config) = other.Engine.Images.ReadManifest(pulled.Digest);
        foreach (var layer in manifest.Layers)
            using (var blob = other.Engine.Images.Blobs.Open(layer.Digest))
                Assert.Equal(LayerCompression.Zstd, Compression.Detect(blob));
        Assert.True(File.Exists(Path.Combine(other.Engine.Images.Layers.ContentDir(config.RootFs.DiffIds[0]), "bin", "busybox")));
        Assert.Equal("ran from the registry", RunIn(other, $"{registry.Host}/{repository}"));

        // docker save's archive holds each layer as the tar its diff id names, whatever the blob's compression
        var archive = Path.Combine(dir, "saved.tar");
        other.Engine.Exporter.Export([pulled.Reference!], archive, ImageArchiveFormat.DockerArchive);
        using var reader = new TarReader(File.OpenRead(archive));
        var layers = new List<string>();
        while (reader.GetNextEntry() is { } entry)
            if (entry.Name.EndsWith(".tar", StringComparison.Ordinal))
                layers.Add($"sha256:{Convert.ToHexStringLower(SHA256.HashData(entry.DataStream!))} {entry.Name}");
        Assert.Equal(config.RootFs.DiffIds.Select(d => $"{d} {d[7..]}.tar").Order(), layers.Order());
    }

    [SkippableFact]
    public void WhatWePushAsOciWithZstdSkopeoCopiesAndWeRunFromAnotherStore()
    {
        using var registry = Start();
        var image = Committed("zstd:1");
        var before = store.Engine.Images.ReadManifest(store.Engine.Images.Get(image).Digest);
        Registries(store).Push(image, $"{registry.Host}/team/zstd:1", conversion: new ImageConversion(ManifestFormat.Oci, LayerCompression.Zstd));

        var raw = RawManifest(registry, "team/zstd:1");
        Assert.Equal(MediaTypes.OciManifest, raw["mediaType"]!.GetValue<string>());
        Assert.Equal(MediaTypes.OciConfig, raw["config"]!["mediaType"]!.GetValue<string>());
        Assert.Equal(before.Manifest.Config.Digest, raw["config"]!["digest"]!.GetValue<string>());
        Assert.All(LayerTypes(raw), t => Assert.Equal(MediaTypes.OciLayerZstd, t));
        // re-compressed: new blobs, the same tars
        Assert.DoesNotContain(raw["layers"]!.AsArray(), l => before.Manifest.Layers.Any(b => b.Digest == l!["digest"]!.GetValue<string>()));
        SkopeoCopiesIt(registry, "team/zstd:1");

        var pulled = Registries(other).Pull($"{registry.Host}/team/zstd:1");
        Assert.Equal(store.Engine.Images.Get(image).Id, pulled.Id);
        Assert.Equal(before.Config.RootFs.DiffIds, other.Engine.Images.ReadManifest(pulled.Digest).Config.RootFs.DiffIds);
        Assert.Equal("made here\nran from the registry", RunIn(other, $"{registry.Host}/team/zstd:1"));
    }

    [SkippableFact]
    public void WhatWePushAsDockerWithGzipSkopeoCopiesAndItGoesBackToOci()
    {
        using var registry = Start();
        var image = Committed("docker:1");
        Registries(store).Push(image, $"{registry.Host}/team/docker:1", conversion: new ImageConversion(ManifestFormat.Docker, LayerCompression.Gzip));
        var raw = RawManifest(registry, "team/docker:1");
        Assert.Equal(MediaTypes.DockerManifest, raw["mediaType"]!.GetValue<string>());
        Assert.Equal(MediaTypes.DockerConfig, raw["config"]!["mediaType"]!.GetValue<string>());
        Assert.All(LayerTypes(raw), t => Assert.Equal(MediaTypes.DockerLayerGzip, t));
        SkopeoCopiesIt(registry, "team/docker:1");

        // pulled as Docker's, pushed as OCI's without a compression given: the gzip layers go as they are
        var pulled = Registries(other).Pull($"{registry.Host}/team/docker:1");
        Registries(other).Push(pulled.Reference!, $"{registry.Host}/team/oci:1", conversion: new ImageConversion(ManifestFormat.Oci));
        var oci = RawManifest(registry, "team/oci:1");
        Assert.Equal(MediaTypes.OciManifest, oci["mediaType"]!.GetValue<string>());
        Assert.All(LayerTypes(oci), t => Assert.Equal(MediaTypes.OciLayerGzip, t));
        Assert.Equal(raw["layers"]!.AsArray().Select(l => l!["digest"]!.GetValue<string>()), oci["layers"]!.AsArray().Select(l => l!["digest"]!.GetValue<string>()));
        SkopeoCopiesIt(registry, "team/oci:1");
        Assert.Equal(pulled.Id, Registries(store).Pull($"{registry.Host}/team/oci:1").Id);
        Assert.Equal("made here\nran from the registry", RunIn(store, $"{registry.Host}/team/oci:1"));
    }

    [SkippableTheory]
    [InlineData(ManifestFormat.Oci, LayerCompression.Zstd, MediaTypes.OciLayerZstd)]
    [InlineData(ManifestFormat.Docker, LayerCompression.Gzip, MediaTypes.DockerLayerGzip)]
    public void PodmanPullsWhatWePushAndRunsIt(ManifestFormat format, LayerCompression compression, string layerType)
    {
        using var registry = Start();
        var podmanMissing = RunningPodman.Unavailable;
        Skip.If(podmanMissing != null, podmanMissing);
        var image = Committed("podman:1");
        var repository = $"team/podman:{format}-{compression}".ToLowerInvariant();
        Registries(store).Push(image, $"{registry.Host}/{repository}", conversion: new ImageConversion(format, compression));
        Assert.All(LayerTypes(RawManifest(registry, repository)), t => Assert.Equal(layerType, t));

        using var podman = new RunningPodman();
        Assert.Equal("made here\nran by podman\n", podman.PullAndRun($"{registry.Host}/{repository}", "sh", "-c", "cat /made-here; echo ran by podman"));
    }

    [SkippableFact]
    public void ZstdInDockersFormatIsRefusedAndNothingIsPushed()
    {
        using var registry = Start();
        var error = Assert.Throws<ContainerException>(() =>
            Registries(store).Push(TestStore.Image, $"{registry.Host}/team/refused:1", conversion: new ImageConversion(ManifestFormat.Docker, LayerCompression.Zstd)));
        Assert.Equal("ZstdNeedsOciFormat", error.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.False(registry.Skopeo("inspect", "--raw", $"docker://{registry.Host}/team/refused:1").Succeeded);
    }

    [SkippableFact]
    public void AManifestListOfTwoPlatformsGivesEachItsOwnImage()
    {
        using var registry = Start();
        var layout = TwoPlatformLayout();
        var copy = registry.Skopeo("copy", "--all", $"oci:{layout}:multi", $"docker://{registry.Host}/team/multi:1");
        Assert.True(copy.Succeeded, copy.StandardError);
        Assert.Equal(MediaTypes.OciIndex, RawManifest(registry, "team/multi:1")["mediaType"]!.GetValue<string>());
        var reference = $"{registry.Host}/team/multi:1";

        var arm = Registries(other).Pull(reference, ImagePlatform.Parse("linux/arm64"));
        Assert.Equal("arm64", other.Engine.Images.ReadManifest(arm.Digest).Config.Architecture);
        Assert.Equal("arm64\nran from the registry", RunIn(other, reference, "arm"));

        // this host's by default: the name now points at the amd64 one
        var host = Registries(other).Pull(reference);
        Assert.NotEqual(arm.Digest, host.Digest);
        Assert.Equal(ImagePlatform.Host.Architecture, other.Engine.Images.ReadManifest(host.Digest).Config.Architecture);
        Assert.Equal($"{ImagePlatform.Host.Architecture}\nran from the registry", RunIn(other, reference, "host"));

        var missing = Assert.Throws<ContainerException>(() => Registries(other).Pull(reference, ImagePlatform.Parse("linux/s390x")));
        Assert.Equal("NoMatchingPlatform", missing.ErrorId);
    }

    [SkippableFact]
    public void ABuildPullsEachFromLineForItsPlatform()
    {
        using var registry = Start();
        var copy = registry.Skopeo("copy", "--all", $"oci:{TwoPlatformLayout()}:multi", $"docker://{registry.Host}/team/multi:1");
        Assert.True(copy.Succeeded, copy.StandardError);
        var reference = $"{registry.Host}/team/multi:1";
        var context = Directory.CreateDirectory(Path.Combine(dir, "context")).FullName;
        // the first FROM pulls the arm64 image; the second finds it not for this host and pulls this host's
        var built = other.Engine.Builds.Build(new Container.Runtime.Build.BuildRequest
        {
            ContextDirectory = context,
            Dockerfile = $"FROM --platform=linux/arm64 {reference} AS arm\nFROM {reference}\nCOPY --from=arm /made-here /arm-made-here\n",
            Network = "none",
        }, new Container.Tests.Build.RecordingBuildLog());
        Assert.Equal(ImagePlatform.Host.Architecture, built.Architecture);
        other.Containers.Create(new ContainerSpec { Image = built.Id, Name = "both", Command = ["cat", "/arm-made-here", "/made-here"] });
        other.Containers.Start("both");
        other.Containers.Wait("both", TimeSpan.FromSeconds(60));
        Assert.Equal($"arm64\n{ImagePlatform.Host.Architecture}", other.Output("both"));
    }

    /// <summary>
    /// An OCI layout whose index "multi" lists two images, linux/amd64 and linux/arm64: the test
    /// image's layers and one of their own, whose /made-here names the architecture (the
    /// binaries are this host's, so both run here).
    /// </summary>
    private string TwoPlatformLayout()
    {
        var layout = Directory.CreateDirectory(Path.Combine(dir, "multi")).FullName;
        var blobs = Directory.CreateDirectory(Path.Combine(layout, "blobs", "sha256")).FullName;
        File.WriteAllText(Path.Combine(layout, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
        var images = store.Engine.Images;
        var (baseManifest, baseConfig) = images.ReadManifest(images.Get(TestStore.Image).Digest);

        Descriptor Blob(byte[] content, string mediaType)
        {
            var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));
            File.WriteAllBytes(Path.Combine(blobs, digest[7..]), content);
            return new Descriptor { MediaType = mediaType, Digest = digest, Size = content.Length };
        }

        foreach (var layer in baseManifest.Layers)
            using (var from = images.Blobs.Open(layer.Digest))
            using (var to = File.Create(Path.Combine(blobs, layer.Digest[7..])))
                from.CopyTo(to);
        var platforms = new List<Descriptor>();
        foreach (var architecture in new[] { "amd64", "arm64" })
        {
            var marker = Blob(MarkerLayer(architecture + "\n"), MediaTypes.OciLayer);
            var config = Json.Deserialize<ImageConfig>(images.Blobs.ReadAllBytes(baseManifest.Config.Digest));
            config.Architecture = architecture;
            config.RootFs.DiffIds = [.. baseConfig.RootFs.DiffIds, marker.Digest];
            var manifest = new ImageManifest
            {
                MediaType = MediaTypes.OciManifest,
                Config = Blob(Json.Serialize(config), MediaTypes.OciConfig),
                Layers = [.. baseManifest.Layers.Select(l => new Descriptor { MediaType = l.MediaType, Digest = l.Digest, Size = l.Size }), marker],
            };
            var descriptor = Blob(Json.Serialize(manifest), MediaTypes.OciManifest);
            descriptor.Platform = new PlatformSpec { Os = "linux", Architecture = architecture };
            platforms.Add(descriptor);
        }
        var list = Blob(Json.Serialize(new ImageIndex { Manifests = platforms }), MediaTypes.OciIndex);
        list.Annotations = new() { [Annotations.RefName] = "multi" };
        File.WriteAllBytes(Path.Combine(layout, "index.json"), Json.Serialize(new ImageIndex { Manifests = [list] }));
        return layout;
    }

    private static byte[] MarkerLayer(string content)
    {
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, "made-here")
            {
                DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)),
                Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                ModificationTime = DateTimeOffset.UnixEpoch,
            };
            writer.WriteEntry(entry);
        }
        return tar.ToArray();
    }
}
