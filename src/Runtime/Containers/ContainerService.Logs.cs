using Container.Runtime.Logs;

namespace Container.Runtime.Containers;

/// <summary>A container's log, read or followed.</summary>
public sealed partial class ContainerService
{
    public IEnumerable<LogEntry> ReadLog(string reference, LogQuery? query = null) =>
        ContainerLog.Read(store.FileOf(Resolve(reference), ContainerStore.LogFile), query);

    /// <summary>The log, then what the container writes next, until it ends (restarts included) or cancellation.</summary>
    public IEnumerable<LogEntry> FollowLog(string reference, LogQuery? query, CancellationToken cancellation)
    {
        var id = Resolve(reference);
        var record = ReadRecord(id, reference);
        return ContainerLog.Follow(store.FileOf(id, ContainerStore.LogFile), query,
            () => store.TryRead(id) != null && Observe(id, record).Status is ContainerStatus.Running or ContainerStatus.Paused or ContainerStatus.Restarting,
            cancellation);
    }
}
