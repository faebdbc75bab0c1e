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
    private readonly BlockingCollection<OutputLine> lines = [];
    private readonly CancellationTokenSource stopped;
    private readonly Task<T> work;

    public OutputLines(CancellationToken cancellation, Func<Action<LogStream, string>, CancellationToken, T> work)
    {
        stopped = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        this.work = Task.Run(() =>
        {
            try
            {
                return work((stream, text) => lines.Add(new OutputLine(stream, text)), stopped.Token);
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

    private void Write(Action<LogStream, string> write, Func<OutputLine?> next)
    {
        try
        {
            while (next() is { } line)
                write(line.Stream, line.Text);
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

/// <summary>
/// A line of a process's output: a class, not a value tuple, as the framework's ReadyToRun code
/// holds the blocking collection's shared code for reference types but none for a tuple with a
/// value in it, which a new session's first run waited for the JIT to compile.
/// </summary>
internal sealed record OutputLine(LogStream Stream, string Text);
