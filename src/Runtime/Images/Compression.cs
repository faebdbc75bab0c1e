using System.IO.Compression;
using ZstdSharp;

namespace Container.Runtime.Images;

/// <summary>How a layer's tar is compressed.</summary>
public enum LayerCompression
{
    None,
    Gzip,
    Zstd,
}

/// <summary>Layer blobs may be gzip, zstd or plain tar whatever their media type says: look at the bytes.</summary>
internal static class Compression
{
    /// <summary>Whether a seekable stream starts with gzip's magic; the position is left where it was.</summary>
    public static bool IsGzip(Stream stream) => Detect(stream) == LayerCompression.Gzip;

    /// <summary>What a seekable stream's first bytes say it is (gzip 1f 8b, zstd 28 b5 2f fd); the position is left where it was.</summary>
    public static LayerCompression Detect(Stream stream)
    {
        Span<byte> magic = stackalloc byte[4];
        var start = stream.Position;
        var n = stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false);
        stream.Position = start;
        return Of(magic[..n]);
    }

    /// <summary>
    /// The uncompressed tar of a layer blob. A zstd:chunked layer (podman's) is zstd frames
    /// with skippable frames between them, which the decoder passes over.
    /// </summary>
    public static Stream OpenUncompressed(Stream blob, string mediaType)
    {
        Span<byte> magic = stackalloc byte[4];
        var n = blob.CanSeek ? blob.ReadAtLeast(magic, 4, throwOnEndOfStream: false) : 0;
        if (blob.CanSeek)
            blob.Position = 0;
        var compression = Of(magic[..n]);
        if (compression == LayerCompression.None && !blob.CanSeek)
            compression = OfMediaType(mediaType);
        return compression switch
        {
            LayerCompression.Gzip => new GZipStream(blob, CompressionMode.Decompress),
            LayerCompression.Zstd => new DecompressionStream(blob, leaveOpen: false),
            _ => blob,
        };
    }

    /// <summary>A stream that compresses what is written to it into output, which it leaves open (output itself for None).</summary>
    public static Stream OpenCompressing(Stream output, LayerCompression compression) => compression switch
    {
        LayerCompression.Gzip => new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true),
        LayerCompression.Zstd => new CompressionStream(output, leaveOpen: true),
        _ => output,
    };

    /// <summary>The compression a layer media type names (+gzip, .gzip, +zstd, .zstd).</summary>
    public static LayerCompression OfMediaType(string mediaType) =>
        mediaType.EndsWith("gzip", StringComparison.Ordinal) ? LayerCompression.Gzip
        : mediaType.EndsWith("zstd", StringComparison.Ordinal) ? LayerCompression.Zstd
        : LayerCompression.None;

    /// <summary>gzip's magic, a zstd frame's, or a zstd skippable frame's (0x184D2A50 to 0x184D2A5F, little-endian).</summary>
    private static LayerCompression Of(ReadOnlySpan<byte> magic) =>
        magic is [0x1f, 0x8b, ..] ? LayerCompression.Gzip
        : magic is [0x28, 0xb5, 0x2f, 0xfd, ..] or [>= 0x50 and <= 0x5f, 0x2a, 0x4d, 0x18, ..] ? LayerCompression.Zstd
        : LayerCompression.None;
}
