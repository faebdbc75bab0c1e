using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;

namespace Container.Runtime.Linux;

/// <summary>
/// Reads a small file whole with plain open/read/close: the state files and /proc files that
/// listing and sampling many containers read by the thousand (the counter files they read
/// again and again: CounterFiles). A FileStream adds an fstat, a flock and its buffers to
/// each, and pseudo files report no size, so they are read until end of file here.
/// </summary>
internal static class SmallFile
{
    /// <summary>
    /// The bytes of the file, or null when it (or a directory on its path) does not exist, or
    /// the process or cgroup it describes has gone.
    /// </summary>
    public static byte[]? ReadBytes(string path)
    {
        var fd = Libc.Open(path, Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (IsGone(errno))
                return null;
            throw Errors.Errors.SystemCall($"open '{path}'", errno, path);
        }
        try
        {
            return ReadAll(fd, path, positional: false);
        }
        finally
        {
            Libc.Close(fd);
        }
    }

    /// <summary>
    /// Everything fd reads until end of file: from where it is, or (positional) from its start
    /// with pread, which reads a pseudo file afresh. Null when what it describes has gone.
    /// </summary>
    internal static byte[]? ReadAll(int fd, string path, bool positional)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                nint read;
                unsafe
                {
                    fixed (byte* at = &buffer[length])
                        read = positional
                            ? Libc.Pread(fd, at, (nuint)(buffer.Length - length), length)
                            : Libc.Read(fd, at, (nuint)(buffer.Length - length));
                }
                if (read == 0)
                    return buffer.AsSpan(0, length).ToArray();
                if (read < 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno == Libc.EINTR)
                        continue;
                    if (IsGone(errno))
                        return null;
                    throw Errors.Errors.SystemCall($"read '{path}'", errno, path);
                }
                length += (int)read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    internal static bool IsGone(int errno) => errno is Libc.ENOENT or Libc.ENOTDIR or Libc.ESRCH or Libc.ENODEV;

    /// <summary>The file as UTF-8 text, or null as <see cref="ReadBytes"/>.</summary>
    public static string? ReadText(string path) => ReadBytes(path) is { } bytes ? Encoding.UTF8.GetString(bytes) : null;
}
