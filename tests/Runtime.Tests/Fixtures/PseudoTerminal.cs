using System.Runtime.InteropServices;
using System.Text;

namespace Container.Tests.Fixtures;

/// <summary>A pty pair standing for a user's terminal: the test types into and reads the screen from the master; the slave is what a program is given.</summary>
public sealed partial class PseudoTerminal : IDisposable
{
    private readonly StringBuilder screen = new();
    private readonly Thread reader;
    private readonly FileStream master;

    public PseudoTerminal(int rows, int columns)
    {
        var masterFd = OpenPt(2 /* O_RDWR */ | 0x100 /* O_NOCTTY */);
        if (masterFd < 0 || GrantPt(masterFd) != 0 || UnlockPt(masterFd) != 0)
            throw new IOException("no pseudo-terminal");
        var name = Marshal.PtrToStringUTF8(PtsName(masterFd))!;
        Slave = Open(name, 2 | 0x100, 0);
        master = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(masterFd, ownsHandle: true), FileAccess.ReadWrite, 1);
        Resize(rows, columns);
        reader = new Thread(() =>
        {
            var buffer = new byte[4096];
            try
            {
                int n;
                while ((n = master.Read(buffer)) > 0)
                    lock (screen)
                        screen.Append(Encoding.UTF8.GetString(buffer, 0, n));
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
            }
        }) { IsBackground = true };
        reader.Start();
    }

    public int Slave { get; }

    public string Screen
    {
        get
        {
            lock (screen)
                return screen.ToString();
        }
    }

    public void Type(string keys)
    {
        master.Write(Encoding.UTF8.GetBytes(keys));
        master.Flush();
    }

    public void WaitFor(string text, int seconds = 20)
    {
        if (!Shows(text, TimeSpan.FromSeconds(seconds)))
            throw new TimeoutException($"no '{text}' on the screen: {Screen}");
    }

    /// <summary>Whether the text is on the screen within the time given.</summary>
    public bool Shows(string text, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (!Screen.Contains(text))
        {
            if (DateTime.UtcNow > deadline)
                return false;
            Thread.Sleep(20);
        }
        return true;
    }

    public void Resize(int rows, int columns)
    {
        var size = new ushort[] { (ushort)rows, (ushort)columns, 0, 0 };
        Ioctl(Slave, 0x5414 /* TIOCSWINSZ */, size);
    }

    /// <summary>The slave's termios, as bytes, to compare before and after.</summary>
    public byte[] Mode()
    {
        var mode = new byte[64];
        TcGetAttr(Slave, mode);
        return mode;
    }

    public void Dispose()
    {
        Close(Slave);
        master.Dispose();
    }

    [LibraryImport("libc", EntryPoint = "posix_openpt")]
    private static partial int OpenPt(int flags);

    [LibraryImport("libc", EntryPoint = "grantpt")]
    private static partial int GrantPt(int fd);

    [LibraryImport("libc", EntryPoint = "unlockpt")]
    private static partial int UnlockPt(int fd);

    [LibraryImport("libc", EntryPoint = "ptsname")]
    private static partial IntPtr PtsName(int fd);

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "ioctl")]
    private static partial int Ioctl(int fd, ulong request, ushort[] size);

    [LibraryImport("libc", EntryPoint = "tcgetattr")]
    private static partial int TcGetAttr(int fd, byte[] mode);
}
