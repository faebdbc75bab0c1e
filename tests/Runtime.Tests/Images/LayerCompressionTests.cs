using System.IO.Compression;
using System.Text;
using Container.Runtime.Errors;
using Container.Runtime.Images;
using Xunit;
using ZstdSharp;

namespace Container.Tests.Images;

/// <summary>A layer's compression is read from its bytes: gzip, zstd, zstd:chunked (frames with skippable frames between), none.</summary>
public sealed class LayerCompressionTests
{
    private static readonly byte[] Tar = Encoding.UTF8.GetBytes(new string('t', 100_000) + "end");

    private static byte[] Zstd(byte[] content)
    {
        using var compressor = new Compressor();
        return compressor.Wrap(content).ToArray();
    }

    /// <summary>A zstd skippable frame (magic 0x184D2A5E, little-endian length, payload), as zstd:chunked puts its table of contents in one.</summary>
    private static byte[] Skippable(string payload)
    {
        var data = Encoding.UTF8.GetBytes(payload);
        return [0x5e, 0x2a, 0x4d, 0x18, .. BitConverter.GetBytes(data.Length), .. data];
    }

    private static byte[] Read(byte[] blob, string mediaType)
    {
        using var stream = Compression.OpenUncompressed(new MemoryStream(blob), mediaType);
        using var output = new MemoryStream();
        stream.CopyTo(output);
        return output.ToArray();
    }

    [Fact]
    public void ZstdLayersReadWhateverTheirMediaTypeSays()
    {
        Assert.Equal(Tar, Read(Zstd(Tar), MediaTypes.OciLayerZstd));
        Assert.Equal(Tar, Read(Zstd(Tar), MediaTypes.OciLayer));
        Assert.Equal(LayerCompression.Zstd, Compression.Detect(new MemoryStream(Zstd(Tar))));
    }

    [Fact]
    public void ZstdChunkedFramesAndSkippableFramesReadAsOneTar()
    {
        var chunked = Skippable("leading").Concat(Zstd(Tar[..50_000])).Concat(Skippable("between")).Concat(Zstd(Tar[50_000..])).Concat(Skippable("{\"toc\":1}")).ToArray();
        Assert.Equal(LayerCompression.Zstd, Compression.Detect(new MemoryStream(chunked)));
        Assert.Equal(Tar, Read(chunked, MediaTypes.OciLayerZstd));
    }

    [Fact]
    public void GzipAndPlainTarsStillRead()
    {
        using var gzipped = new MemoryStream();
        using (var gzip = new GZipStream(gzipped, CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(Tar);
        Assert.Equal(Tar, Read(gzipped.ToArray(), MediaTypes.OciLayerGzip));
        Assert.Equal(Tar, Read(Tar, MediaTypes.OciLayer));
        Assert.Equal(LayerCompression.None, Compression.Detect(new MemoryStream(Tar)));
    }

    [Fact]
    public void CompressingWritesWhatReadingReads()
    {
        foreach (var compression in new[] { LayerCompression.Gzip, LayerCompression.Zstd })
        {
            using var output = new MemoryStream();
            using (var compressing = Compression.OpenCompressing(output, compression))
                compressing.Write(Tar);
            Assert.Equal(compression, Compression.Detect(new MemoryStream(output.ToArray())));
            Assert.Equal(Tar, Read(output.ToArray(), MediaTypes.OciLayer));
        }
    }

    [Theory]
    [InlineData("docker", null, ManifestFormat.Docker, null)]
    [InlineData("Oci", "ZSTD", ManifestFormat.Oci, LayerCompression.Zstd)]
    [InlineData(null, "gzip", null, LayerCompression.Gzip)]
    public void ConversionsAreParsedFromTheirNames(string? format, string? compression, ManifestFormat? expectedFormat, LayerCompression? expectedCompression) =>
        Assert.Equal(new ImageConversion(expectedFormat, expectedCompression), ImageConversion.Parse(format, compression));

    [Theory]
    [InlineData("v2s2", null, "InvalidImageFormat")]
    [InlineData(null, "xz", "InvalidCompression")]
    [InlineData(null, "None", "InvalidCompression")]
    [InlineData(null, "1", "InvalidCompression")]
    public void OtherNamesAreRefused(string? format, string? compression, string errorId)
    {
        var error = Assert.Throws<ContainerException>(() => ImageConversion.Parse(format, compression));
        Assert.Equal(errorId, error.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
    }
}
