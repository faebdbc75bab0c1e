using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;

namespace Container.Runtime.Linux;

/// <summary>
/// Reads a small file whole with plain open/read/close: the state files and /proc files that
/// listing and sampling many containers read by the thousand (the counter files they read
/// again and again: CounterFiles). A FileStream adds an fstat, a flock and its buffers to
/// each, and pseudo files report no size, so they are read until end of file here. Writes a
/// new one the same way (TryWriteNew).
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
    /// with pread, which reads a pseudo file afresh. A positional read that comes back short is
    /// the whole file (a pseudo file is shown whole while the buffer has room), and no second
    /// pread asks for the end: at an offset, the kernel shows the file again to skip to it.
    /// Null when what it describes has gone.
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
                if (read < 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno == Libc.EINTR)
                        continue;
                    if (IsGone(errno))
                        return null;
                    throw Errors.Errors.SystemCall($"read '{path}'", errno, path);
                }
                var wanted = buffer.Length - length;
                length += (int)read;
                if (read == 0 || (positional && read < wanted))
                    return buffer.AsSpan(0, length).ToArray();
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Creates path with content, flushed to disk if asked; false, and nothing written, when
    /// path exists. A FileStream would create it, then truncate it, which makes ext4 write it
    /// out at its close (its guard for files replaced by truncation) even when nobody asked for
    /// it on disk.
    /// </summary>
    /// <param name="mode">Its mode at creation, less the umask.</param>
    public static bool TryWriteNew(string path, ReadOnlySpan<byte> content, bool flush, uint mode = 0b110_110_110)
    {
        var fd = Libc.Open(path, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_EXCL | Libc.O_CLOEXEC, mode);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno == Libc.EEXIST ? false : throw Errors.Errors.SystemCall($"create '{path}'", errno, path);
        }
        try
        {
            while (!content.IsEmpty)
            {
                nint written;
                unsafe
                {
                    fixed (byte* at = content)
                        written = Libc.Write(fd, at, (nuint)content.Length);
                }
                if (written < 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno == Libc.EINTR)
                        continue;
                    throw Errors.Errors.SystemCall($"write '{path}'", errno, path);
                }
                content = content[(int)written..];
            }
            if (flush && Libc.Fsync(fd) != 0)
                throw Errors.Errors.SystemCall($"fsync '{path}'", Marshal.GetLastPInvokeError(), path);
            return true;
        }
        finally
        {
            Libc.Close(fd);
        }
    }

    internal static bool IsGone(int errno) => errno is Libc.ENOENT or Libc.ENOTDIR or Libc.ESRCH or Libc.ENODEV;

    /// <summary>The file as UTF-8 text, or null as <see cref="ReadBytes"/>.</summary>
    public static string? ReadText(string path) => ReadBytes(path) is { } bytes ? Encoding.UTF8.GetString(bytes) : null;
}
