using Container.Runtime.Containers;
using Container.Runtime.Logs;

namespace Container.Module.Cmdlets;

/// <summary>
/// A process started with the pipeline's first record of input (docker exec -i, docker run -i):
/// each record goes to its stdin as it comes, and what it writes meanwhile is written.
/// </summary>
internal sealed class StreamedInput : IDisposable
{
    private readonly ProcessInput.LineStream input = ProcessInput.Streamed();
    private readonly OutputLines<int> lines;
    private readonly object target;

    /// <param name="run">Runs the process on the input given, reporting its lines; returns its exit code.</param>
    public StreamedInput(CancellationToken cancellation, object target, Func<Action<LogStream, string>, CancellationToken, ProcessInput, int> run)
    {
        this.target = target;
        lines = new OutputLines<int>(cancellation, (emit, token) => run(emit, token, input));
    }

    public void Add(string line, Action<LogStream, string, object> write)
    {
        input.Add(line);
        lines.WriteAvailable((stream, text) => write(stream, text, target));
    }

    /// <summary>The input's end; writes what the process writes until it exits, and returns its exit code.</summary>
    public int Finish(Action<LogStream, string, object> write)
    {
        input.Complete();
        return lines.WriteToEnd((stream, text) => write(stream, text, target));
    }

    public void Dispose() => lines.Dispose();
}
