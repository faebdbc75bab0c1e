using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Container.Runtime.Linux;

/// <summary>
/// The caller's end of --console-socket: a unix socket the runtime connects to and sends
/// the pty master through (SCM_RIGHTS), as the OCI runtime spec describes. The monitor's
/// --attach-socket is one too: it sends the container's input, and may stay connected.
/// </summary>
public sealed unsafe class ConsoleSocket : IDisposable
{
    private readonly Socket listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);

    public ConsoleSocket(string path)
    {
        Path = path;
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(1);
    }

    public string Path { get; }

    /// <summary>Accepts the runtime's connection and returns the pty master it sent.</summary>
    public Task<FileStream> ReceiveTerminalAsync() => Task.Run(ReceiveTerminal);

    public FileStream ReceiveTerminal()
    {
        using var connection = listener.Accept();
        return ReceiveDescriptor(connection);
    }

    /// <summary>Accepts a connection, and returns it with the descriptor it sent.</summary>
    public (Socket Connection, FileStream Descriptor) Attach()
    {
        var connection = listener.Accept();
        try
        {
            return (connection, ReceiveDescriptor(connection));
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static FileStream ReceiveDescriptor(Socket connection)
    {
        byte data;
        var control = stackalloc byte[64];
        var iov = new IoVec { Base = &data, Length = 1 };
        var message = new MessageHeader { Iov = &iov, IovLength = 1, Control = control, ControlLength = 64 };
        if (RecvMsg((int)connection.Handle, &message, 0) <= 0)
            throw new IOException("no message on the console socket");
        // cmsghdr: len (size_t), level (int), type (int), then the fd
        var fd = *(int*)(control + 16);
        return new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: true), FileAccess.ReadWrite, 1);
    }

    public void Dispose()
    {
        listener.Dispose();
        File.Delete(Path);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct IoVec
    {
        public byte* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MessageHeader
    {
        public void* Name;
        public uint NameLength;
        public IoVec* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    [DllImport("libc", EntryPoint = "recvmsg", SetLastError = true)]
    private static extern nint RecvMsg(int socket, MessageHeader* message, int flags);
}
