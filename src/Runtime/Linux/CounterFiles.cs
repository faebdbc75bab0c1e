using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text;

namespace Container.Runtime.Linux;

/// <summary>
/// The kernel's counter files read again and again (a container's cgroup counters, its init's
/// /proc/pid/stat, by every Get-Container and Get-ContainerStats, by each sample of a stream):
/// kept open between reads, each read a pread from the start, which makes the kernel show the
/// file afresh. That spares the open and close, two thirds of reading a small counter. Only
/// pseudo files: a state file is replaced by rename, which an open descriptor would not see.
/// A descriptor whose cgroup or process has gone reads ENODEV or ESRCH: it is closed, and the
/// path opened again (a restarted container's new cgroup has the same path). One unused for
/// a while is closed, so that no removed cgroup stays pinned in the kernel by this process.
/// </summary>
internal static class CounterFiles
{
    private static readonly TimeSpan IdleFor = TimeSpan.FromSeconds(10);

    /// <summary>Beyond this many open, a file is read as SmallFile reads it: the process's descriptors stay free for its work.</summary>
    private const int MostKept = 4096;
    private static readonly ConcurrentDictionary<string, Entry> open = new();
    private static readonly Timer closeIdle = new(_ => CloseIdle(IdleFor), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    private static int timerRunning;

    /// <summary>The file as UTF-8 text; null when it (or the cgroup or process it describes) is not there.</summary>
    public static string? ReadText(string path)
    {
        StartClosingIdle();
        for (var attempt = 0; attempt < 2; attempt++)
        {
            if (!open.TryGetValue(path, out var entry))
            {
                if (open.Count >= MostKept)
                    return SmallFile.ReadText(path);
                var fd = Libc.Open(path, Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
                if (fd < 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    return SmallFile.IsGone(errno) ? null : throw Errors.Errors.SystemCall($"open '{path}'", errno, path);
                }
                entry = new Entry(new Descriptor(fd));
                if (!open.TryAdd(path, entry))
                {
                    entry.Handle.Dispose();
                    continue; // another thread opened it meanwhile: read through that one
                }
            }
            entry.LastUsed = Environment.TickCount64;
            if (Read(entry.Handle, path) is { } bytes)
                return Encoding.UTF8.GetString(bytes);
            // gone since it was opened: forget it, and look for the path again
            if (open.TryRemove(new KeyValuePair<string, Entry>(path, entry)))
                entry.Handle.Dispose();
        }
        return null;
    }

    /// <summary>The content, or null when gone or closed meanwhile (the handle keeps its descriptor open while it reads).</summary>
    private static byte[]? Read(Descriptor handle, string path)
    {
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return SmallFile.ReadAll((int)handle.DangerousGetHandle(), path, positional: true);
        }
        catch (ObjectDisposedException)
        {
            return null;
        }
        finally
        {
            if (added)
                handle.DangerousRelease();
        }
    }

    private static void StartClosingIdle()
    {
        if (Interlocked.Exchange(ref timerRunning, 1) == 0)
            closeIdle.Change(IdleFor, IdleFor);
    }

    /// <summary>Whether the path's descriptor is open now.</summary>
    internal static bool IsOpen(string path) => open.ContainsKey(path);

    /// <summary>Closes those unused for idleFor (the timer's, every IdleFor).</summary>
    internal static void CloseIdle(TimeSpan idleFor)
    {
        var before = Environment.TickCount64 - (long)idleFor.TotalMilliseconds;
        foreach (var (path, entry) in open)
            if (entry.LastUsed <= before && open.TryRemove(new KeyValuePair<string, Entry>(path, entry)))
                entry.Handle.Dispose();
        if (open.IsEmpty && Interlocked.Exchange(ref timerRunning, 0) == 1)
            closeIdle.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    private sealed class Entry(Descriptor handle)
    {
        public Descriptor Handle { get; } = handle;

        public long LastUsed { get; set; } = Environment.TickCount64;
    }

    /// <summary>A descriptor closed once no read holds it.</summary>
    private sealed class Descriptor : Microsoft.Win32.SafeHandles.SafeHandleMinusOneIsInvalid
    {
        public Descriptor(int fd) : base(ownsHandle: true) => SetHandle(fd);

        protected override bool ReleaseHandle() => Libc.Close((int)handle) == 0;
    }
}
