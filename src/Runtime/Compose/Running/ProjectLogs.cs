using Container.Runtime.Containers;
using Container.Runtime.Errors;
using Container.Runtime.Logs;
using Container.Runtime.Text;

namespace Container.Runtime.Compose;

/// <summary>
/// docker compose logs: what a project's containers (or those of some of its services) wrote,
/// as one stream in time order, each line with its service and container. -Tail and -Since
/// select in each container's log, as docker compose's --tail counts per container. Followed,
/// it goes on until every container followed has ended, and takes up a container made since
/// (up making a service's container anew), whose log it shows whole.
/// </summary>
public sealed class ProjectLogs
{
    /// <summary>How often a follow looks for containers made since it began.</summary>
    private static readonly TimeSpan Rescan = TimeSpan.FromSeconds(1);

    private readonly ContainerService containers;
    private readonly ProjectService projects;

    internal ProjectLogs(ContainerService containers, ProjectService projects)
    {
        this.containers = containers;
        this.projects = projects;
    }

    /// <summary>The logs as they are now, merged by time.</summary>
    public IReadOnlyList<ProjectLogEntry> Read(ProjectSelection selection, IReadOnlyList<string> services, LogQuery query)
    {
        var (project, wanted) = Members(selection, services);
        var logs = new List<IEnumerable<ProjectLogEntry>>();
        foreach (var container in projects.ContainersOf(project).Where(wanted))
        {
            try
            {
                logs.Add(containers.ReadLog(container.Id, query).Select(e => EntryOf(container, e)));
            }
            catch (ContainerException e) when (e.ErrorId == "ContainerNotFound")
            {
                // removed since it was listed: it has no log left to read
            }
        }
        return LogMerge.ByTime(logs).ToList();
    }

    /// <summary>The logs as they are, merged by time, then what the containers write next, until every one has ended or cancellation.</summary>
    public IEnumerable<ProjectLogEntry> Follow(ProjectSelection selection, IReadOnlyList<string> services, LogQuery query, CancellationToken cancellation)
    {
        var (project, wanted) = Members(selection, services);
        return Follow(project, wanted, query, cancellation);
    }

    private IEnumerable<ProjectLogEntry> Follow(string project, Func<ContainerInfo, bool> wanted, LogQuery query, CancellationToken cancellation)
    {
        using var merge = new LiveLogMerge(cancellation);
        var followed = new HashSet<string>(StringComparer.Ordinal);
        // a container made after the follow began is shown whole (Since still holds), as docker compose shows one
        var whole = query with { Tail = null };

        int FollowNew(LogQuery logQuery)
        {
            // one never started has written nothing yet: it is taken up once it has started
            var added = projects.ContainersOf(project).Where(c => wanted(c) && c.Status != ContainerStatus.Created && followed.Add(c.Id)).ToList();
            foreach (var container in added)
                merge.Add((caughtUp, stop) => containers.FollowLog(container.Id, logQuery, stop, caughtUp).Select(e => EntryOf(container, e)),
                    _ => IsGone(container.Id));
            return added.Count;
        }

        FollowNew(query);
        var rescanAt = DateTime.UtcNow + Rescan;
        while (!cancellation.IsCancellationRequested)
        {
            var wait = rescanAt - DateTime.UtcNow;
            if (merge.Next(wait > TimeSpan.Zero ? wait : TimeSpan.Zero) is { } entry)
            {
                yield return entry;
                if (DateTime.UtcNow < rescanAt)
                    continue;
            }
            var ended = merge.Ended;
            if (!ended && DateTime.UtcNow < rescanAt)
                continue;
            if (FollowNew(whole) == 0 && ended)
                yield break;
            rescanAt = DateTime.UtcNow + Rescan;
        }
    }

    /// <summary>The project's name, and which of its containers the services (names or wildcards; none: all) select.</summary>
    private (string Project, Func<ContainerInfo, bool> Wanted) Members(ProjectSelection selection, IReadOnlyList<string> services)
    {
        // a name alone names the project by its containers' labels: no file is read
        var declared = selection.IsNameAlone ? null : selection.Load();
        var project = declared?.Name ?? selection.Name!;
        if (services.Count == 0)
            return (project, _ => true);
        var known = projects.ContainersOf(project).Select(ServiceOf).Concat(declared?.Services.Keys ?? []).ToHashSet(StringComparer.Ordinal);
        // a name that matches nothing is an error, a wildcard that matches nothing is not
        if (services.Where(s => !Wildcard.IsPattern(s)).Select(Wildcard.Unescape).FirstOrDefault(s => !known.Contains(s)) is { } unknown)
            throw Errors.Errors.ComposeServiceNotFound(unknown, project);
        var patterns = services.Select(Wildcard.Parse).ToList();
        return (project, c => patterns.Any(p => p.IsMatch(ServiceOf(c))));
    }

    private bool IsGone(string id) => containers.List().All(c => c.Id != id);

    private static string ServiceOf(ContainerInfo container) => container.Labels.GetValueOrDefault(ComposeLabels.Service) ?? "";

    private static ProjectLogEntry EntryOf(ContainerInfo container, LogEntry entry) =>
        new(ServiceOf(container), ProjectPlan.NumberOf(container), container.Name, entry.Time, entry.Stream, entry.Text);
}
