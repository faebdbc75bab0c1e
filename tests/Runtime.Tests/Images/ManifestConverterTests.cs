using System.Security.Cryptography;
using Container.Runtime.Errors;
using Container.Runtime.Images;
using Container.Runtime.Storage;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Images;

/// <summary>What a push makes of an image's manifest and layers, in the store alone (the registry round trips are RegistryFormatTests').</summary>
public sealed class ManifestConverterTests : IDisposable
{
    private readonly TestStore store = new();

    public void Dispose() => store.Dispose();

    private ImageStore Images => store.Engine.Images;

    private string Digest => Images.Get(TestStore.Image).Digest;

    [Fact]
    public void AnImageThatNeedsNoChangeKeepsItsManifestsBytes()
    {
        // made here: OCI with plain tars
        foreach (var conversion in new[] { ImageConversion.None, new ImageConversion(ManifestFormat.Oci), new ImageConversion(Compression: LayerCompression.None) })
        {
            var converted = new ManifestConverter(Images).Convert(Digest, conversion);
            Assert.Equal(Digest, converted.Digest);
            Assert.Equal(Images.Blobs.ReadAllBytes(Digest), converted.Content);
        }
    }

    [Theory]
    [InlineData(ManifestFormat.Oci, LayerCompression.Zstd, MediaTypes.OciManifest, MediaTypes.OciConfig, MediaTypes.OciLayerZstd)]
    [InlineData(ManifestFormat.Oci, LayerCompression.Gzip, MediaTypes.OciManifest, MediaTypes.OciConfig, MediaTypes.OciLayerGzip)]
    [InlineData(ManifestFormat.Docker, LayerCompression.Gzip, MediaTypes.DockerManifest, MediaTypes.DockerConfig, MediaTypes.DockerLayerGzip)]
    [InlineData(ManifestFormat.Docker, null, MediaTypes.DockerManifest, MediaTypes.DockerConfig, MediaTypes.DockerLayer)]
    public void AConversionRewritesTheMediaTypesAndRecompressesTheLayersIntoTheirOwnTars(ManifestFormat format, LayerCompression? compression,
        string manifestType, string configType, string layerType)
    {
        var (before, config) = Images.ReadManifest(Digest);
        var converted = new ManifestConverter(Images).Convert(Digest, new ImageConversion(format, compression));

        Assert.Equal(manifestType, converted.MediaType);
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(converted.Content)), converted.Digest);
        Assert.Equal(converted.Content, Images.Blobs.ReadAllBytes(converted.Digest));
        Assert.Equal(configType, converted.Manifest.Config.MediaType);
        Assert.Equal(before.Config.Digest, converted.Manifest.Config.Digest);
        Assert.All(converted.Manifest.Layers, l => Assert.Equal(layerType, l.MediaType));
        for (var i = 0; i < before.Layers.Count; i++)
        {
            var layer = converted.Manifest.Layers[i];
            Assert.Equal(compression == null, layer.Digest == before.Layers[i].Digest);
            Assert.Equal(Images.Blobs.Size(layer.Digest), layer.Size);
            using var tar = new HashingStream(Compression.OpenUncompressed(Images.Blobs.Open(layer.Digest), layer.MediaType));
            tar.CopyTo(Stream.Null);
            Assert.Equal(config.RootFs.DiffIds[i], tar.Digest);
        }
    }

    [Fact]
    public void ZstdInDockersFormatIsRefused()
    {
        var error = Assert.Throws<ContainerException>(() => new ManifestConverter(Images).Convert(Digest, new ImageConversion(ManifestFormat.Docker, LayerCompression.Zstd)));
        Assert.Equal("ZstdNeedsOciFormat", error.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        // an image whose layers are zstd: Docker's format needs them in gzip
        var zstd = new ManifestConverter(Images).Convert(Digest, new ImageConversion(Compression: LayerCompression.Zstd));
        Assert.Equal(MediaTypes.OciManifest, zstd.MediaType);
        Assert.Equal("ZstdNeedsOciFormat", Assert.Throws<ContainerException>(() =>
            new ManifestConverter(Images).Convert(zstd.Digest, new ImageConversion(ManifestFormat.Docker))).ErrorId);
        Assert.Equal(MediaTypes.DockerLayerGzip,
            new ManifestConverter(Images).Convert(zstd.Digest, new ImageConversion(ManifestFormat.Docker, LayerCompression.Gzip)).Manifest.Layers[0].MediaType);
    }
}
