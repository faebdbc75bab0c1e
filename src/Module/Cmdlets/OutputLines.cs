using System.Collections.Concurrent;
using Container.Runtime.Logs;

namespace Container.Module.Cmdlets;

/// <summary>
/// Work on another thread that reports lines (a process in a container), for the pipeline's
/// thread to write as they come: only it may write to the pipeline. The work's token is
/// cancelled by the cmdlet's (Ctrl+C), and when the pipeline stops taking its lines.
/// </summary>
internal sealed class OutputLines<T> : IDisposable
{
    private readonly BlockingCollection<(LogStream Stream, string Text)> lines = [];
    private readonly CancellationTokenSource stopped;
    private readonly Task<T> work;

    public OutputLines(CancellationToken cancellation, Func<Action<LogStream, string>, CancellationToken, T> work)
    {
        stopped = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        this.work = Task.Run(() =>
        {
            try
            {
                return work((stream, text) => lines.Add((stream, text)), stopped.Token);
            }
            finally
            {
                lines.CompleteAdding();
            }
        });
    }

    /// <summary>Writes the lines that have come, without waiting for more.</summary>
    public void WriteAvailable(Action<LogStream, string> write) => Write(write, () => lines.TryTake(out var line) ? line : null);

    /// <summary>Writes every line until the work ends, and returns what it returned (or throws what it threw).</summary>
    public T WriteToEnd(Action<LogStream, string> write)
    {
        using var all = lines.GetConsumingEnumerable().GetEnumerator();
        Write(write, () => all.MoveNext() ? all.Current : null);
        return work.GetAwaiter().GetResult();
    }

    private void Write(Action<LogStream, string> write, Func<(LogStream Stream, string Text)?> next)
    {
        try
        {
            while (next() is var (stream, text))
                write(stream, text);
        }
        catch
        {
            // downstream stopped (Select-Object -First): end the work before the lines go
            stopped.Cancel();
            foreach (var _ in lines.GetConsumingEnumerable())
            {
            }
            throw;
        }
    }

    public void Dispose()
    {
        stopped.Dispose();
        lines.Dispose();
    }
}
