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

    /// <summary>
    /// The logs as they are, merged by time, then what the containers write next, until every
    /// one has ended (see <see cref="ProjectLogFollow"/>) or cancellation.
    /// </summary>
    public IEnumerable<ProjectLogEntry> Follow(ProjectSelection selection, IReadOnlyList<string> services, LogQuery query, CancellationToken cancellation)
    {
        var (project, wanted) = Members(selection, services);
        return new ProjectLogFollow(containers, () => projects.ContainersOf(project).Where(wanted).ToList(), EntryOf).Entries(query, cancellation);
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

    private static string ServiceOf(ContainerInfo container) => container.Labels.GetValueOrDefault(ComposeLabels.Service) ?? "";

    private static ProjectLogEntry EntryOf(ContainerInfo container, LogEntry entry) =>
        new(ServiceOf(container), ProjectPlan.NumberOf(container), container.Name, entry.Time, entry.Stream, entry.Text);
}
