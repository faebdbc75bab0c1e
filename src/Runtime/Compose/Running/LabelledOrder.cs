using Container.Runtime.Containers;

namespace Container.Runtime.Compose;

/// <summary>
/// A project's containers in the order of their services' dependencies, as their labels say
/// them (com.docker.compose.depends_on: service:condition:restart,...), for what acts on a project
/// without its file (stop, restart, down): a container in another's PID namespace dies with it,
/// so the other must be restarted first and the joiner after it; and as docker compose does, a
/// service's dependants are stopped before it.
/// </summary>
internal static class LabelledOrder
{
    /// <summary>Each service's containers after those of the services it depends on (restart's order).</summary>
    /// <param name="containers">the project's containers, in name order</param>
    public static IReadOnlyList<ContainerInfo> Of(IReadOnlyList<ContainerInfo> containers)
    {
        var (walk, byService) = Walk(containers);
        return walk.Order.SelectMany(s => byService[s]).ToList();
    }

    /// <summary>The containers by their services' levels: the dependencies of a level's services are in the levels before it (stop and down take them in reverse).</summary>
    /// <param name="containers">the project's containers, in name order</param>
    public static IReadOnlyList<IReadOnlyList<ContainerInfo>> Levels(IReadOnlyList<ContainerInfo> containers)
    {
        var (walk, byService) = Walk(containers);
        return walk.Levels.Select(l => (IReadOnlyList<ContainerInfo>)l.SelectMany(s => byService[s]).ToList()).ToList();
    }

    private static (DependencyWalk Walk, Dictionary<string, List<ContainerInfo>> ByService) Walk(IReadOnlyList<ContainerInfo> containers)
    {
        var byService = containers.GroupBy(ServiceOf, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        return (DependencyWalk.Of(byService.Keys, s => byService[s].SelectMany(DependenciesOf)), byService);
    }

    private static string ServiceOf(ContainerInfo container) => container.Labels.GetValueOrDefault(ComposeLabels.Service) ?? "";

    private static IEnumerable<string> DependenciesOf(ContainerInfo container) =>
        (container.Labels.GetValueOrDefault(ComposeLabels.DependsOn) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(d => d.Split(':')[0]);
}
