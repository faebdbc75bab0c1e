namespace Container.Runtime.Compose.Loading;

/// <summary>depends_on must not go round (web -> api -> web), nor name the service itself: no order could start them.</summary>
internal static class DependencyCycles
{
    public static void Check(IReadOnlyDictionary<string, ComposeService> services, Field top)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in services.Keys)
            Visit(name, [], services, done, top);
    }

    private static void Visit(string name, List<string> path, IReadOnlyDictionary<string, ComposeService> services, HashSet<string> done, Field top)
    {
        if (done.Contains(name))
            return;
        if (path.Contains(name))
            throw top["services"]![path[0]]!.Invalid($"depends_on makes a cycle: {string.Join(" -> ", path.SkipWhile(p => p != name).Append(name))}");
        path.Add(name);
        foreach (var dependency in services[name].DependsOn.Keys)
            Visit(dependency, path, services, done, top);
        path.RemoveAt(path.Count - 1);
        done.Add(name);
    }
}
