using Container.Runtime.Containers;
using Container.Runtime.Networks;

namespace Container.Runtime.Kubernetes;

/// <summary>
/// Which containers one pod holds: those given, and every container that shares a network
/// namespace with one of them (container:&lt;other&gt; either way), since a pod is one network
/// namespace; the namespace's owners first, each before the containers that join it.
/// </summary>
internal static class PodGrouping
{
    /// <param name="given">the containers named, in the order named</param>
    /// <param name="all">every container of the store</param>
    public static IReadOnlyList<ContainerRecord> Members(IReadOnlyList<ContainerRecord> given, IReadOnlyList<ContainerRecord> all)
    {
        var members = new List<ContainerRecord>();
        var pending = new Queue<ContainerRecord>(given);
        while (pending.TryDequeue(out var container))
        {
            if (members.Any(m => m.Id == container.Id))
                continue;
            members.Add(container);
            if (JoinedId(container) is { } owner && all.FirstOrDefault(c => c.Id == owner) is { } joined)
                pending.Enqueue(joined);
            foreach (var joiner in all.Where(c => JoinedId(c) == container.Id))
                pending.Enqueue(joiner);
        }
        // stable: an owner before its joiners, the rest as named
        var ordered = new List<ContainerRecord>();
        foreach (var member in members)
            Place(member, members, ordered);
        return ordered;
    }

    private static void Place(ContainerRecord container, List<ContainerRecord> members, List<ContainerRecord> ordered)
    {
        if (ordered.Contains(container))
            return;
        if (JoinedId(container) is { } owner && members.FirstOrDefault(m => m.Id == owner) is { } first && first != container)
            Place(first, members, ordered);
        if (!ordered.Contains(container))
            ordered.Add(container);
    }

    /// <summary>The id of the container whose network namespace this one joins; null for one of its own.</summary>
    public static string? JoinedId(ContainerRecord container) =>
        container.NetworkMode.StartsWith(NetworkOptions.ContainerPrefix, StringComparison.Ordinal) ? container.NetworkMode[NetworkOptions.ContainerPrefix.Length..] : null;
}
