using Container.Runtime.Containers;
using Container.Runtime.Logs;

namespace Container.Runtime.Compose;

/// <summary>
/// One follow of a project's logs: the logs of its containers followed at once, and a
/// container started since it began taken up (its log shown whole). It ends once every
/// container it follows has ended; but when one that ran was stopped or removed meanwhile, up
/// may be making it anew (it stops, removes, creates and starts it), so it waits a little for
/// the new one first, and for as long as up is seen at work (a container starting, the
/// project's containers changing between two looks).
/// </summary>
internal sealed class ProjectLogFollow(ContainerService containers, Func<IReadOnlyList<ContainerInfo>> members, Func<ContainerInfo, LogEntry, ProjectLogEntry> entryOf)
{
    /// <summary>How often it looks for containers started since it began.</summary>
    private static readonly TimeSpan Rescan = TimeSpan.FromSeconds(1);

    /// <summary>How long it waits for a container made anew: up makes one in well under that.</summary>
    private static readonly TimeSpan ReplacementWait = TimeSpan.FromSeconds(5);

    /// <summary>How often it looks while it waits for one.</summary>
    private static readonly TimeSpan ReplacementPoll = TimeSpan.FromMilliseconds(100);

    /// <summary>The containers followed, and whether each was active when taken up.</summary>
    private readonly Dictionary<string, bool> followed = new(StringComparer.Ordinal);

    public IEnumerable<ProjectLogEntry> Entries(LogQuery query, CancellationToken cancellation)
    {
        using var merge = new LiveLogMerge(cancellation);
        var listed = members();
        FollowNew(merge, listed, query);
        var whole = query with { Tail = null };
        var rescanAt = DateTime.UtcNow + Rescan;
        DateTime? endAt = null;
        while (!cancellation.IsCancellationRequested)
        {
            var wait = rescanAt - DateTime.UtcNow;
            if (merge.Next(wait > TimeSpan.Zero ? wait : TimeSpan.Zero) is { } entry)
            {
                yield return entry;
                if (DateTime.UtcNow < rescanAt)
                    continue;
            }
            else if (!merge.Ended && DateTime.UtcNow < rescanAt)
                continue;
            var current = members();
            rescanAt = DateTime.UtcNow + Rescan;
            if (FollowNew(merge, current, whole) > 0 || !merge.Ended)
            {
                endAt = null;
                continue;
            }
            // up at work (a container starting, one removed or made since the last look) begins the wait anew
            var changed = current.Any(c => c.Status == ContainerStatus.Starting) || !SameIds(current, listed);
            listed = current;
            if (changed)
                endAt = null;
            else
                endAt ??= DateTime.UtcNow + (MayBeMadeAnew(current) ? ReplacementWait : TimeSpan.Zero);
            if (endAt is { } end && DateTime.UtcNow >= end)
                yield break;
            cancellation.WaitHandle.WaitOne(ReplacementPoll);
        }
    }

    /// <summary>
    /// Follows the containers not followed yet. One never started has written nothing, and one
    /// starting is not yet running (a follow of it would end at once): each is taken up once
    /// it has started.
    /// </summary>
    private int FollowNew(LiveLogMerge merge, IReadOnlyList<ContainerInfo> current, LogQuery query)
    {
        var added = current.Where(c => c.Status is not (ContainerStatus.Created or ContainerStatus.Starting) && followed.TryAdd(c.Id, ContainerStateMachine.IsActive(c.Status))).ToList();
        foreach (var container in added)
            merge.Add((caughtUp, stop) => containers.FollowLog(container.Id, query, stop, caughtUp).Select(e => entryOf(container, e)),
                // removed since it was listed: its log has ended
                _ => members().All(c => c.Id != container.Id));
        return added.Count;
    }

    private static bool SameIds(IReadOnlyList<ContainerInfo> one, IReadOnlyList<ContainerInfo> other) =>
        one.Select(c => c.Id).ToHashSet(StringComparer.Ordinal).SetEquals(other.Select(c => c.Id));

    /// <summary>A container that ran when taken up has since been stopped or removed.</summary>
    private bool MayBeMadeAnew(IReadOnlyList<ContainerInfo> current)
    {
        var ran = followed.Where(f => f.Value).Select(f => f.Key).ToList();
        if (ran.Any(id => current.All(c => c.Id != id) || containers.StopWasRequested(id)))
            return true;
        // removed since current was listed: its stop-requested file went with its directory,
        // which a removal moves away at once, so a listing made after the look sees it gone
        var now = members();
        return ran.Any(id => now.All(c => c.Id != id));
    }
}
