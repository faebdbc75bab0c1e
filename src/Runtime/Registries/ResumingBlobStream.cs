using System.Net;

namespace Container.Runtime.Registries;

/// <summary>
/// A blob's body that goes on where a dropped connection left it: the rest is asked for with
/// Range: bytes=&lt;read&gt;- (206), or, from a registry that sends it all again (200), the
/// bytes already read are read past; so what reads it (the blob store's one running SHA-256)
/// sees one whole stream. A few resumes, then the registry is unreachable. Cancelling closes
/// the connection, so a read waiting on it ends at once.
/// </summary>
internal sealed class ResumingBlobStream : Storage.ReadOnlyStream
{
    public const int Resumes = 5;

    private readonly Func<long, HttpResponseMessage> get;
    private readonly string registry;
    private readonly string digest;
    private readonly long size;
    private readonly CancellationToken cancellation;
    private readonly CancellationTokenRegistration closing;
    private HttpResponseMessage response;
    private Stream body;
    private long read;
    private long toSkip;
    private int resumed;

    /// <param name="get">the blob's GET from an offset on (0: all of it)</param>
    /// <param name="size">the descriptor's size: a connection dropped after that many bytes has nothing left to resume</param>
    public ResumingBlobStream(Func<long, HttpResponseMessage> get, string registry, string digest, long size, CancellationToken cancellation)
    {
        this.get = get;
        this.registry = registry;
        this.digest = digest;
        this.size = size;
        this.cancellation = cancellation;
        response = get(0);
        body = response.Content.ReadAsStream(cancellation);
        closing = cancellation.Register(() => Volatile.Read(ref response).Dispose());
    }

    public override long Position { get => read; set => throw new NotSupportedException(); }

    public override int Read(Span<byte> buffer)
    {
        while (true)
        {
            try
            {
                SkipRead();
                var n = body.Read(buffer);
                // a body closed short is a dropped connection, or the cancel closing it: never the blob's end
                if (n == 0 && buffer.Length > 0 && read < size)
                {
                    cancellation.ThrowIfCancellationRequested();
                    throw new IOException($"the body ended at byte {read} of {size}");
                }
                read += n;
                return n;
            }
            catch (ObjectDisposedException) when (cancellation.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellation);
            }
            catch (IOException e)
            {
                cancellation.ThrowIfCancellationRequested();
                if (read >= size)
                    return 0; // all of it came: the digest decides
                if (++resumed > Resumes)
                    throw Errors.Errors.RegistryUnreachable(registry, $"blob {digest} broke off at byte {read} of {size}, {Resumes} times resumed: {e.Message}", e);
                // the back-off of retries, no longer than its last
                RegistryRetries.Wait(RegistryRetries.Delay(Math.Min(resumed, RegistryRetries.Retries) - 1), cancellation);
                Resume();
            }
        }
    }

    /// <summary>Reads past what a 200's body repeats of what was read already.</summary>
    private void SkipRead()
    {
        if (toSkip == 0)
            return;
        var scratch = new byte[1 << 16];
        while (toSkip > 0)
        {
            var n = body.Read(scratch, 0, (int)Math.Min(scratch.Length, toSkip));
            if (n == 0)
                throw new IOException($"the blob's body ended {toSkip} bytes before where it broke off");
            toSkip -= n;
        }
    }

    private void Resume()
    {
        response.Dispose();
        var next = get(read);
        Volatile.Write(ref response, next);
        if (cancellation.IsCancellationRequested)
        {
            next.Dispose();
            cancellation.ThrowIfCancellationRequested();
        }
        if (next.StatusCode == HttpStatusCode.PartialContent)
        {
            if (next.Content.Headers.ContentRange?.From != read)
                throw Errors.Errors.RegistryProtocol(registry, $"blob {digest}: asked for bytes {read}- it answered {next.Content.Headers.ContentRange}");
            toSkip = 0;
        }
        else
            toSkip = read; // a 200 is the whole blob again
        body = next.Content.ReadAsStream(cancellation);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            closing.Dispose();
            response.Dispose();
        }
        base.Dispose(disposing);
    }
}
