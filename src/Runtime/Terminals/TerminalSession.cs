namespace Container.Runtime.Terminals;

/// <summary>
/// A process with a pseudo-terminal in a container (docker exec -it, docker run -it): what
/// is written to Terminal is its keyboard, what is read from Screen its screen. Resize passes
/// the window size on.
/// </summary>
public abstract class TerminalSession : IDisposable
{
    protected TerminalSession(FileStream terminal, Stream screen)
    {
        Terminal = terminal;
        Screen = screen;
    }

    /// <summary>The pty master.</summary>
    public FileStream Terminal { get; }

    /// <summary>What the process shows: the pty master itself, or what the container's monitor passes on of it.</summary>
    public Stream Screen { get; }

    public abstract bool HasExited { get; }

    public void Resize(int rows, int columns) => Linux.Terminal.Resize((int)Terminal.SafeFileHandle.DangerousGetHandle(), rows, columns);

    /// <summary>Waits for the process to end and returns its exit code (as a shell reports a signal: 128+n).</summary>
    public abstract int WaitForExit();

    public virtual void Dispose()
    {
        Screen.Dispose();
        Terminal.Dispose();
        GC.SuppressFinalize(this);
    }
}
