using System.Runtime.InteropServices;

namespace Container.Runtime.Linux;

/// <summary>Terminal modes and sizes, on a file descriptor.</summary>
internal static partial class Terminal
{
    private const ulong TIOCGWINSZ = 0x5413;
    private const ulong TIOCSWINSZ = 0x5414;
    private const int TCSANOW = 0;

    [StructLayout(LayoutKind.Sequential)]
    private struct WindowSize
    {
        public ushort Rows, Columns, XPixels, YPixels;
    }

    /// <summary>struct termios, opaque here: 60 bytes on every architecture glibc has, with room to spare.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 64)]
    public struct Mode
    {
        private readonly long first;
    }

    public static bool IsTerminal(int fd) => IsATty(fd) == 1;

    /// <summary>Puts the terminal in raw mode (every byte as typed, no echo, no signals from keys) and returns the mode it had.</summary>
    public static Mode MakeRaw(int fd)
    {
        Libc.Check(GetAttributes(fd, out var saved), "read the terminal's mode", fd);
        var raw = saved;
        MakeRawMode(ref raw);
        Libc.Check(SetAttributes(fd, TCSANOW, in raw), "set the terminal raw", fd);
        return saved;
    }

    public static void Restore(int fd, Mode mode) => SetAttributes(fd, TCSANOW, in mode);

    public static (int Rows, int Columns)? Size(int fd)
    {
        var size = default(WindowSize);
        return Ioctl(fd, TIOCGWINSZ, ref size) == 0 && size.Rows > 0 ? (size.Rows, size.Columns) : null;
    }

    public static void Resize(int fd, int rows, int columns)
    {
        var size = new WindowSize { Rows = (ushort)rows, Columns = (ushort)columns };
        Ioctl(fd, TIOCSWINSZ, ref size);
    }

    [LibraryImport("libc", EntryPoint = "isatty")]
    private static partial int IsATty(int fd);

    [LibraryImport("libc", EntryPoint = "tcgetattr", SetLastError = true)]
    private static partial int GetAttributes(int fd, out Mode mode);

    [LibraryImport("libc", EntryPoint = "tcsetattr", SetLastError = true)]
    private static partial int SetAttributes(int fd, int when, in Mode mode);

    [LibraryImport("libc", EntryPoint = "cfmakeraw")]
    private static partial void MakeRawMode(ref Mode mode);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static partial int Ioctl(int fd, ulong request, ref WindowSize size);
}
