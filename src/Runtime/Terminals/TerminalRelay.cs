using System.Runtime.InteropServices;
using Container.Runtime.Linux;
using Microsoft.Win32.SafeHandles;

namespace Container.Runtime.Terminals;

/// <summary>
/// Joins the user's terminal to a session in a container (docker exec -it, run -it): keys typed go
/// to the container's process as they are (Ctrl+C included: the process gets its SIGINT),
/// its screen comes back, and the window's size follows the user's. The user's terminal
/// is raw meanwhile, and as it was afterwards.
/// </summary>
public static class TerminalRelay
{
    /// <summary>Relays until the process ends; returns its exit code.</summary>
    public static int Run(TerminalSession session, int inputFd, int outputFd)
    {
        var isTerminal = Terminal.IsTerminal(inputFd);
        var saved = isTerminal ? Terminal.MakeRaw(inputFd) : default;
        try
        {
            void FollowWindow()
            {
                if (Terminal.Size(outputFd) is { } size)
                    session.Resize(size.Rows, size.Columns);
            }
            FollowWindow();
            using var windowChanges = PosixSignalRegistration.Create(PosixSignal.SIGWINCH, _ => FollowWindow());
            var keys = new Thread(() => CopyKeys(inputFd, session)) { IsBackground = true, Name = "terminal keys" };
            keys.Start();
            using (var screen = new FileStream(new SafeFileHandle(outputFd, ownsHandle: false), FileAccess.Write, 1))
                CopyScreen(session.Screen, screen);
            var exitCode = session.WaitForExit();
            keys.Join();
            return exitCode;
        }
        finally
        {
            if (isTerminal)
                Terminal.Restore(inputFd, saved);
        }
    }

    private static void CopyKeys(int inputFd, TerminalSession session)
    {
        try
        {
            Containers.ProcessInput.CopyDescriptor(inputFd, session.Terminal, () => session.HasExited);
        }
        catch (IOException)
        {
            // the session closed its terminal
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private static void CopyScreen(Stream terminal, FileStream screen)
    {
        var buffer = new byte[16384];
        try
        {
            int n;
            while ((n = terminal.Read(buffer)) > 0)
            {
                screen.Write(buffer, 0, n);
                screen.Flush();
            }
        }
        catch (IOException)
        {
            // EIO: the process and all it started have closed the terminal (the monitor's screen just ends)
        }
    }
}
