namespace Container.Runtime.Compose;

/// <summary>
/// The one walk of a project's services through their dependencies, whether they come from its
/// file (depends_on, where the loader also puts the services whose network, IPC or PID namespace
/// one joins: <see cref="ProjectPlan"/>) or from its containers' labels (<see cref="LabelledOrder"/>,
/// for what acts on a project without its file): the services in an order where each comes after
/// what it depends on, and in levels, each one after the deepest it depends on, so the services
/// of one level may be started (or, in reverse, stopped) together.
/// </summary>
internal sealed class DependencyWalk
{
    private DependencyWalk(IReadOnlyList<string> order, IReadOnlyList<IReadOnlyList<string>> levels)
    {
        Order = order;
        Levels = levels;
    }

    /// <summary>Each service after those it depends on, depth first; the services, and each one's dependencies, taken in name order.</summary>
    public IReadOnlyList<string> Order { get; }

    /// <summary>The services by level (0: those that depend on none of the services); each level in <see cref="Order"/>'s order.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Levels { get; }

    /// <param name="services">the services' names</param>
    /// <param name="dependenciesOf">what a service depends on; a name that is not one of the services is passed over</param>
    public static DependencyWalk Of(IEnumerable<string> services, Func<string, IEnumerable<string>> dependenciesOf)
    {
        var names = services.ToHashSet(StringComparer.Ordinal);
        var order = new List<string>();
        var level = new Dictionary<string, int>(StringComparer.Ordinal);
        var visiting = new HashSet<string>(StringComparer.Ordinal);
        int Place(string name)
        {
            if (level.TryGetValue(name, out var known))
                return known;
            // the loader refuses cycles, and labels come from a loaded project: this only ends one made otherwise where it closes
            if (!visiting.Add(name))
                return 0;
            var found = dependenciesOf(name).Where(names.Contains).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
                .Select(d => Place(d) + 1).DefaultIfEmpty(0).Max();
            visiting.Remove(name);
            order.Add(name);
            return level[name] = found;
        }
        foreach (var name in names.Order(StringComparer.Ordinal))
            Place(name);
        var levels = order.GroupBy(n => level[n]).OrderBy(g => g.Key).Select(g => (IReadOnlyList<string>)g.ToList()).ToList();
        return new DependencyWalk(order, levels);
    }
}
