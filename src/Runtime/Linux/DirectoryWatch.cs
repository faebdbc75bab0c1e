namespace Container.Runtime.Linux;

/// <summary>
/// Wakes a waiter as soon as a directory's files change (inotify), so that waiting on a
/// container costs no polling delay: its monitor's records arrive by rename, and its lock
/// file is closed when the monitor ends. Waits are still bounded, so that a change no file
/// shows (a process dying unseen) is noticed too.
/// </summary>
internal sealed class DirectoryWatch : IDisposable
{
    // records renamed in, the monitor's lock closed, the container's directory removed
    private const uint Changes = Libc.IN_MOVED_TO | Libc.IN_CLOSE_WRITE | Libc.IN_DELETE_SELF | Libc.IN_MOVE_SELF;
    private static readonly TimeSpan LongestSleep = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan FallbackPoll = TimeSpan.FromMilliseconds(10);
    private readonly int fd;

    private DirectoryWatch(int fd) => this.fd = fd;

    /// <summary>
    /// Watches dir; with writes, every write to a file in it wakes the waiter too (a log that
    /// grows). Without inotify (or the directory), waits are plain sleeps.
    /// </summary>
    public static DirectoryWatch Open(string dir, bool writes = false)
    {
        var fd = Libc.InotifyInit1(Libc.O_CLOEXEC | Libc.IN_NONBLOCK);
        if (fd >= 0 && Libc.InotifyAddWatch(fd, dir, writes ? Changes | Libc.IN_MODIFY : Changes) < 0)
        {
            Libc.Close(fd);
            fd = -1;
        }
        return new DirectoryWatch(fd);
    }

    /// <summary>
    /// Returns when something changed (true), or after timeout (at most 100 ms: soon enough for
    /// a cancellation, which the caller looks at after each wait).
    /// </summary>
    public bool Wait(TimeSpan timeout)
    {
        var slice = TimeSpan.FromTicks(Math.Clamp(timeout.Ticks, 0, LongestSleep.Ticks));
        if (fd < 0)
        {
            Thread.Sleep(slice < FallbackPoll ? slice : FallbackPoll);
            return false;
        }
        if (!Libc.WaitReadable(fd, slice))
            return false;
        Drain();
        return true;
    }

    private unsafe void Drain()
    {
        var buffer = stackalloc byte[4096];
        while (Libc.Read(fd, buffer, 4096) > 0)
        {
        }
    }

    /// <summary>
    /// Closing an inotify instance waits for an RCU grace period in the kernel (10-20 ms):
    /// a thread-pool thread waits for it, not the caller.
    /// </summary>
    public void Dispose()
    {
        if (fd >= 0)
            ThreadPool.UnsafeQueueUserWorkItem(instance => Libc.Close(instance), fd, preferLocal: false);
    }
}
