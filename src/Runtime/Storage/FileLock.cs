using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Container.Runtime.Storage;

/// <summary>
/// An advisory lock (flock) on a file. Every process that mutates the same thing takes the
/// same lock; the kernel drops it when the holder dies, so a crash never leaves a stale lock.
/// The file is opened with open(2), not FileStream: .NET takes flocks of its own on the files
/// it opens, which would collide with ours.
/// </summary>
public sealed class FileLock : IDisposable
{
    private readonly SafeFileHandle handle;

    private FileLock(SafeFileHandle handle) => this.handle = handle;

    /// <summary>Waits for the lock (exclusive unless shared is set).</summary>
    public static FileLock Acquire(string path, bool shared = false)
    {
        var handle = OpenLockFile(path);
        while (Linux.Libc.Flock((int)handle.DangerousGetHandle(), shared ? Linux.Libc.LOCK_SH : Linux.Libc.LOCK_EX) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno != Linux.Libc.EINTR)
            {
                handle.Dispose();
                throw Errors.Errors.SystemCall($"lock '{path}'", errno, path);
            }
        }
        return new FileLock(handle);
    }

    /// <summary>
    /// Takes the exclusive lock only if nobody holds the lock; null when someone does. Any other
    /// failure is thrown: a caller that polls would otherwise wait forever on a lock nobody holds.
    /// </summary>
    public static FileLock? TryAcquire(string path)
    {
        var handle = OpenLockFile(path);
        while (Linux.Libc.Flock((int)handle.DangerousGetHandle(), Linux.Libc.LOCK_EX | Linux.Libc.LOCK_NB) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == Linux.Libc.EINTR)
                continue;
            handle.Dispose();
            if (errno == Linux.Libc.EWOULDBLOCK)
                return null;
            throw Errors.Errors.SystemCall($"lock '{path}'", errno, path);
        }
        return new FileLock(handle);
    }

    /// <summary>
    /// Whether some process holds the lock, asked without taking it for long. Read-only, so
    /// that it wakes nobody watching the directory for files closed after writing.
    /// </summary>
    public static bool IsHeld(string path)
    {
        var fd = Linux.Libc.Open(path, Linux.Libc.O_RDONLY | Linux.Libc.O_CLOEXEC, 0);
        if (fd < 0)
            return false;
        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        return Linux.Libc.Flock(fd, Linux.Libc.LOCK_SH | Linux.Libc.LOCK_NB) != 0;
    }

    /// <summary>
    /// Waits until nobody holds an exclusive lock on the directory at path (a container's
    /// mount point, which its monitor locks until the run's overlay is gone); at once when
    /// there is no such directory.
    /// </summary>
    public static void WaitForDirectory(string path)
    {
        var fd = Linux.Libc.Open(path, Linux.Libc.O_RDONLY | Linux.Libc.O_DIRECTORY | Linux.Libc.O_CLOEXEC, 0);
        if (fd < 0)
            return;
        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        while (Linux.Libc.Flock(fd, Linux.Libc.LOCK_SH) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno != Linux.Libc.EINTR)
                throw Errors.Errors.SystemCall($"lock '{path}'", errno, path);
        }
    }

    private static SafeFileHandle OpenLockFile(string path)
    {
        var fd = Linux.Libc.Open(path, Linux.Libc.O_RDWR | Linux.Libc.O_CREAT | Linux.Libc.O_CLOEXEC, 0b110_000_000);
        if (fd < 0)
            throw Errors.Errors.SystemCall($"open the lock file '{path}'", Marshal.GetLastPInvokeError(), path);
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    public void Dispose() => handle.Dispose();
}
