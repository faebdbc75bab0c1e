using System.Net;

namespace Container.Runtime.Registries;

/// <summary>
/// The distribution spec's chunked upload ("Pushing a blob in chunks"), for a blob a registry
/// or a proxy before it refuses in one request (413, as podman #24919 met behind a proxy): a
/// session, PATCHes of consecutive ranges, each to the Location the last answer gave, and
/// the PUT with the digest that closes it.
/// </summary>
internal sealed partial class RegistryClient
{
    /// <summary>The chunk first tried (at most half the blob, refused whole); one answered 413 is tried at half its size, down to <see cref="SmallestChunk"/>.</summary>
    private const long FirstChunk = 8 << 20;

    private const long SmallestChunk = 64 << 10;

    private void PutInChunks(string repository, string digest, long size, Func<Stream> open, string scope, CancellationToken cancellation)
    {
        var location = StartUpload(repository, scope, cancellation);
        var chunk = Math.Min(FirstChunk, Math.Max(size / 2, SmallestChunk));
        for (long offset = 0; offset < size;)
        {
            var length = Math.Min(chunk, size - offset);
            var from = offset;
            using var response = Send(() =>
            {
                var request = Upload(HttpMethod.Patch, Resolve(location), new StreamSlice(open(), from, length), length);
                request.Content!.Headers.TryAddWithoutValidation("Content-Range", $"{from}-{from + length - 1}");
                return request;
            }, scope, cancellation);
            if (response.StatusCode == HttpStatusCode.RequestEntityTooLarge && length / 2 >= SmallestChunk)
            {
                chunk = length / 2;
                continue;
            }
            Expect(response, HttpStatusCode.Accepted, $"chunk {from}-{from + length - 1} of {digest}");
            location = response.Headers.Location?.ToString() ?? throw Errors.Errors.RegistryProtocol(registry, "a chunk's answer without a Location");
            offset += length;
        }
        using var closed = Send(() => new HttpRequestMessage(HttpMethod.Put, Closing(location, digest)) { Content = new ByteArrayContent([]) }, scope, cancellation);
        Expect(closed, HttpStatusCode.Created, $"the chunked upload of {digest}");
    }

    /// <summary>A new upload session (POST): its Location.</summary>
    private string StartUpload(string repository, string scope, CancellationToken cancellation)
    {
        using var started = Send(() => Request(HttpMethod.Post, $"{repository}/blobs/uploads/", content: new ByteArrayContent([])), scope, cancellation);
        Expect(started, HttpStatusCode.Accepted, "an upload session");
        return started.Headers.Location?.ToString() ?? throw Errors.Errors.RegistryProtocol(registry, "an upload session without a Location");
    }
}

/// <summary>length bytes of a stream from offset on (the stream's to dispose): one chunk of a blob as it streams.</summary>
internal sealed class StreamSlice : Storage.ReadOnlyStream
{
    private readonly Stream inner;
    private long left;

    public StreamSlice(Stream inner, long offset, long length)
    {
        this.inner = inner;
        left = length;
        if (inner.CanSeek)
            inner.Seek(offset, SeekOrigin.Begin);
        else
            Skip(offset);
    }

    private void Skip(long count)
    {
        var scratch = new byte[1 << 16];
        while (count > 0)
        {
            var n = inner.Read(scratch, 0, (int)Math.Min(scratch.Length, count));
            if (n == 0)
                throw new EndOfStreamException();
            count -= n;
        }
    }

    public override int Read(Span<byte> buffer)
    {
        if (left == 0)
            return 0;
        var n = inner.Read(buffer[..(int)Math.Min(buffer.Length, left)]);
        left -= n;
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            inner.Dispose();
        base.Dispose(disposing);
    }
}
