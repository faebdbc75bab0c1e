using Container.Runtime.Storage;

namespace Container.Runtime.Compose;

/// <summary>
/// One project's lock, held by up, down, stop, restart and build from start to end: two
/// sessions acting on one project at once would each plan from what the other is changing
/// (both make the same service's container, or one starts what the other removes). Projects
/// differ, locks differ: two projects go on at once. The kernel drops it with its holder.
/// </summary>
internal static class ProjectLock
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Waits for the project's lock, saying once why it waits; polled rather than blocked on,
    /// so that Ctrl+C ends the wait (another session's up -Wait may hold it for minutes).
    /// </summary>
    public static FileLock Acquire(StorePaths paths, string project, Action<string>? note = null, CancellationToken cancellation = default)
    {
        paths.EnsureCreated();
        // a project's name (ProjectNames) is a safe file name
        var path = Path.Combine(paths.LocksDir, $"project-{project}.lock");
        var held = FileLock.TryAcquire(path);
        if (held == null)
            note?.Invoke($"waiting for another session's work on project {project} to end");
        while (held == null)
        {
            cancellation.WaitHandle.WaitOne(Poll);
            cancellation.ThrowIfCancellationRequested();
            held = FileLock.TryAcquire(path);
        }
        return held;
    }
}
