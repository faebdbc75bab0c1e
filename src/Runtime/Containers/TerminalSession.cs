using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Container.Runtime.Containers;

/// <summary>
/// A process with a pseudo-terminal in a container (docker exec -it): what is written to
/// Terminal is its keyboard, what is read its screen. Resize passes the window size on.
/// </summary>
public sealed partial class TerminalSession : IDisposable
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

    public void Resize(int rows, int columns)
    {
        var size = new WindowSize { Rows = (ushort)rows, Columns = (ushort)columns };
        Ioctl((int)Terminal.SafeFileHandle.DangerousGetHandle(), TIOCSWINSZ, ref size);
    }

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

    private const ulong TIOCSWINSZ = 0x5414;

    [StructLayout(LayoutKind.Sequential)]
    private struct WindowSize
    {
        public ushort Rows, Columns, XPixels, YPixels;
    }

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static partial int Ioctl(int fd, ulong request, ref WindowSize size);
}
