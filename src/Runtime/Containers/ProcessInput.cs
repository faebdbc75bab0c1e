using System.Collections.Concurrent;
using Container.Runtime.Linux;

namespace Container.Runtime.Containers;

/// <summary>
/// What a container's process reads on its standard input: lines (pwsh's pipeline input, as
/// a native command is given it) or a descriptor of ours (pwsh's own stdin, docker run -i).
/// Once it ends the process's stdin is closed, and the process reads EOF.
/// </summary>
public abstract class ProcessInput
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    public static ProcessInput FromLines(IEnumerable<string> lines) => new Lines(lines);

    /// <summary>Lines given as they come (pwsh's pipeline input, streamed), until <see cref="LineStream.Complete"/>.</summary>
    public static LineStream Streamed() => new();

    public static ProcessInput FromDescriptor(int fd) => new Descriptor(fd);

    /// <summary>Copies the input into stdin until it ends, the process stops reading, or stop is cancelled; then closes stdin.</summary>
    internal void Feed(Stream stdin, CancellationToken stop)
    {
        try
        {
            using (stdin)
                Copy(stdin, stop);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // the process closed its stdin, or ended (EPIPE), and its pipe with it
        }
    }

    protected abstract void Copy(Stream stdin, CancellationToken stop);

    /// <summary>
    /// Copies what can be read from fd as it comes, until it ends or stopped says so. Polls
    /// rather than blocks: a read blocked on the user's terminal would outlive the process and
    /// swallow the first key typed after it.
    /// </summary>
    internal static unsafe void CopyDescriptor(int fd, Stream destination, Func<bool> stopped)
    {
        var buffer = new byte[4096];
        while (!stopped())
        {
            if (!Libc.WaitReadable(fd, Poll))
                continue;
            nint n;
            fixed (byte* p = buffer)
                n = Libc.Read(fd, p, (nuint)buffer.Length);
            if (n <= 0)
                return; // the input ended
            destination.Write(buffer, 0, (int)n);
            destination.Flush();
        }
    }

    private sealed class Lines(IEnumerable<string> lines) : ProcessInput
    {
        protected override void Copy(Stream stdin, CancellationToken stop)
        {
            foreach (var line in lines)
            {
                if (stop.IsCancellationRequested)
                    return;
                stdin.Write(System.Text.Encoding.UTF8.GetBytes(line + "\n"));
            }
        }
    }

    /// <summary>Lines written to stdin as they are added; once the process stops reading, those added after are dropped.</summary>
    public sealed class LineStream : ProcessInput
    {
        private readonly BlockingCollection<string> lines = [];
        private volatile bool fed;

        public void Add(string line)
        {
            if (!fed)
                lines.Add(line);
        }

        /// <summary>The input's end: the process reads EOF after the lines added.</summary>
        public void Complete() => lines.CompleteAdding();

        protected override void Copy(Stream stdin, CancellationToken stop)
        {
            try
            {
                foreach (var line in lines.GetConsumingEnumerable(stop))
                {
                    stdin.Write(System.Text.Encoding.UTF8.GetBytes(line + "\n"));
                    stdin.Flush();
                }
            }
            finally
            {
                fed = true;
            }
        }
    }

    private sealed class Descriptor(int fd) : ProcessInput
    {
        protected override void Copy(Stream stdin, CancellationToken stop) => CopyDescriptor(fd, stdin, () => stop.IsCancellationRequested);
    }
}
