using System.IO.Compression;

namespace Container.Runtime.Images;

/// <summary>Layer blobs may be gzip or plain tar whatever their media type says: look at the bytes.</summary>
internal static class Compression
{
    /// <summary>Whether a seekable stream starts with gzip's magic; the position is left where it was.</summary>
    public static bool IsGzip(Stream stream)
    {
        Span<byte> magic = stackalloc byte[2];
        var start = stream.Position;
        var n = stream.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        stream.Position = start;
        return n == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }

    public static Stream OpenUncompressed(Stream blob, string mediaType)
    {
        Span<byte> magic = stackalloc byte[4];
        var n = blob.CanSeek ? blob.ReadAtLeast(magic, 4, throwOnEndOfStream: false) : 0;
        if (blob.CanSeek)
            blob.Position = 0;
        if (n >= 2 && magic[0] == 0x1f && magic[1] == 0x8b)
            return new GZipStream(blob, CompressionMode.Decompress);
        if (n >= 4 && magic[0] == 0x28 && magic[1] == 0xb5 && magic[2] == 0x2f && magic[3] == 0xfd || mediaType.EndsWith("+zstd", StringComparison.Ordinal))
        {
            blob.Dispose();
            throw Errors.Errors.InvalidArgument("UnsupportedCompression", "zstd-compressed layers are not supported.", mediaType);
        }
        return blob;
    }
}
