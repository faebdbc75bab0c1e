using Container.Runtime.Containers;

namespace Container.Runtime.Compose;

/// <summary>
/// A project's containers in the order of their services' dependencies, as their labels say
/// them (com.docker.compose.depends_on: service:condition:restart,...), for what acts on a project
/// without its file (stop, restart): a container in another's PID namespace dies with it, so
/// the other must be restarted first and the joiner after it.
/// </summary>
internal static class LabelledOrder
{
    /// <param name="containers">the project's containers, in name order</param>
    public static IReadOnlyList<ContainerInfo> Of(IReadOnlyList<ContainerInfo> containers)
    {
        var byService = containers.GroupBy(ServiceOf, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var ordered = new List<ContainerInfo>();
        var placed = new HashSet<string>(StringComparer.Ordinal);
        void Place(string service)
        {
            // a cycle cannot be in the labels of a loaded project; placed first, one would end here
            if (!placed.Add(service))
                return;
            foreach (var dependency in byService[service].SelectMany(DependenciesOf).Distinct().Where(byService.ContainsKey).Order(StringComparer.Ordinal))
                Place(dependency);
            ordered.AddRange(byService[service]);
        }
        foreach (var container in containers)
            Place(ServiceOf(container));
        return ordered;
    }

    private static string ServiceOf(ContainerInfo container) => container.Labels.GetValueOrDefault(ComposeLabels.Service) ?? "";

    private static IEnumerable<string> DependenciesOf(ContainerInfo container) =>
        (container.Labels.GetValueOrDefault(ComposeLabels.DependsOn) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(d => d.Split(':')[0]);
}
