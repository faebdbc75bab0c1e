using Microsoft.Win32.SafeHandles;

namespace Container.Runtime.Storage;

/// <summary>
/// An advisory lock (flock) on a file. Every process that mutates the same thing
/// takes the same lock; the kernel drops it when the holder dies, so a crash never
/// leaves a stale lock.
/// </summary>
public sealed class FileLock : IDisposable
{
    private readonly SafeFileHandle handle;

    private FileLock(SafeFileHandle handle) => this.handle = handle;

    /// <summary>Waits for the lock (exclusive unless shared is set).</summary>
    public static FileLock Acquire(string path, bool shared = false)
    {
        var handle = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite);
        var fd = (int)handle.DangerousGetHandle();
        while (Linux.Libc.Flock(fd, shared ? Linux.Libc.LOCK_SH : Linux.Libc.LOCK_EX) != 0)
        {
            var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            if (errno != Linux.Libc.EINTR)
            {
                handle.Dispose();
                throw Errors.Errors.SystemCall($"lock '{path}'", errno, path);
            }
        }
        return new FileLock(handle);
    }

    /// <summary>Takes the lock only if nobody holds it; null otherwise.</summary>
    public static FileLock? TryAcquire(string path)
    {
        var handle = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite);
        if (Linux.Libc.Flock((int)handle.DangerousGetHandle(), Linux.Libc.LOCK_EX | Linux.Libc.LOCK_NB) == 0)
            return new FileLock(handle);
        handle.Dispose();
        return null;
    }

    public void Dispose() => handle.Dispose();
}
