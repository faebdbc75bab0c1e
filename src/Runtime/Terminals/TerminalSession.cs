using System.Diagnostics;

namespace Container.Runtime.Terminals;

/// <summary>
/// A process with a pseudo-terminal in a container (docker exec -it): what is written to
/// Terminal is its keyboard, what is read its screen. Resize passes the window size on.
/// </summary>
public sealed class TerminalSession : IDisposable
{
    private readonly Process runtime;
    private readonly string processFile;

    internal TerminalSession(Process runtime, FileStream terminal, string processFile)
    {
        this.runtime = runtime;
        Terminal = terminal;
        this.processFile = processFile;
    }

    /// <summary>The pty master.</summary>
    public FileStream Terminal { get; }

    public bool HasExited => runtime.HasExited;

    public void Resize(int rows, int columns) => Linux.Terminal.Resize((int)Terminal.SafeFileHandle.DangerousGetHandle(), rows, columns);

    /// <summary>Waits for the process to end and returns its exit code (as a shell reports a signal: 128+n).</summary>
    public int WaitForExit()
    {
        runtime.WaitForExit();
        return runtime.ExitCode;
    }

    public void Dispose()
    {
        if (!runtime.HasExited)
            runtime.Kill();
        runtime.Dispose();
        Terminal.Dispose();
        File.Delete(processFile);
    }
}
