using System.Globalization;
using System.Text.Json;
using Container.Runtime.Compose.Loading;
using Container.Runtime.Containers;

namespace Container.Runtime.Compose;

public enum ServiceActionKind
{
    /// <summary>No container yet: one is made and started.</summary>
    Create,

    /// <summary>Its configuration changed (or a dependency it restarts with was made anew): a new one is made, and the old one goes.</summary>
    Recreate,

    /// <summary>As wanted but not running: started.</summary>
    Start,

    /// <summary>As wanted and running: left alone.</summary>
    Keep,

    /// <summary>Beyond the service's replicas, or left beside the container of its number by an up that ended midway: removed.</summary>
    Remove,
}

/// <summary>What up does to one container of a service, and for a recreation, the fields of the service that changed.</summary>
public sealed record ServiceAction(string Service, int Number, string Container, ServiceActionKind Kind, IReadOnlyList<string> Changed)
{
    public override string ToString() => Kind switch
    {
        ServiceActionKind.Recreate => $"Recreate {Container} ({Service}: {string.Join(", ", Changed)} changed)",
        _ => $"{Kind} {Container} ({Service})",
    };
}

/// <summary>
/// What `up` would do: the project's services in the order their dependencies ask for, each
/// container's action, and the containers of services the project no longer has (orphans,
/// left as they are, as docker compose leaves them without --remove-orphans). Pure: made from
/// the project and what the store holds of it, so a planner's decision is a unit test's.
/// </summary>
public sealed record ProjectPlan(ComposeProject Project, IReadOnlyList<string> Order, IReadOnlyList<ServiceAction> Actions, IReadOnlyList<string> Orphans)
{
    /// <summary>The actions that change something (all but Keep): what -WhatIf tells.</summary>
    public IEnumerable<ServiceAction> Changes => Actions.Where(a => a.Kind != ServiceActionKind.Keep);

    /// <param name="existing">The project's containers in the store (those labelled with its name).</param>
    public static ProjectPlan Of(ComposeProject project, IReadOnlyList<ContainerInfo> existing, bool forceRecreate = false)
    {
        var order = DependencyOrder(project);
        var actions = new List<ServiceAction>();
        var recreated = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in order)
        {
            var service = project.Services[name];
            // one container per number: the one under its number's name; another beside it is one an up
            // made anew and did not get to remove (it ended between the two), and goes first
            var byNumber = existing.Where(c => c.Labels.GetValueOrDefault(ComposeLabels.Service) == name).GroupBy(NumberOf)
                .ToDictionary(g => g.Key, g => g.OrderBy(c => c.Name == ServiceContainers.NameOf(project, service, g.Key) ? 0 : 1)
                    .ThenBy(c => c.Name, StringComparer.Ordinal).ToList());
            foreach (var (number, left) in byNumber.OrderBy(n => n.Key).SelectMany(n => n.Value.Skip(1).Select(c => (n.Key, c))))
                actions.Add(new ServiceAction(name, number, left.Name, ServiceActionKind.Remove, []));
            var own = byNumber.ToDictionary(n => n.Key, n => n.Value[0]);
            // a dependency made anew restarts those that ask to restart with it (depends_on: restart: true)
            var restartsWith = service.DependsOn.Where(d => d.Value.Restart && recreated.Contains(d.Key)).Select(d => d.Key).ToList();
            var replicas = ServiceContainers.ReplicasOf(service);
            for (var number = 1; number <= replicas; number++)
            {
                var container = ServiceContainers.NameOf(project, service, number);
                if (!own.TryGetValue(number, out var current))
                {
                    actions.Add(new ServiceAction(name, number, container, ServiceActionKind.Create, []));
                    recreated.Add(name);
                    continue;
                }
                var changed = current.Labels.GetValueOrDefault(ComposeLabels.ConfigHash) == service.ConfigHash
                    ? []
                    : ChangedFields(current.Labels.GetValueOrDefault(ComposeLabels.Config), ConfigFingerprint.Counted(service));
                // one renamed out of the way by an up that ended before it made the new one
                if (changed.Count == 0 && current.Name != container)
                    changed = ["name"];
                if (changed.Count == 0 && forceRecreate)
                    changed = ["(forced)"];
                if (changed.Count == 0 && restartsWith.Count > 0)
                    changed = restartsWith.Select(d => $"depends_on.{d} (made anew)").ToList();
                var kind = changed.Count > 0 ? ServiceActionKind.Recreate
                    : current.Status == ContainerStatus.Running ? ServiceActionKind.Keep
                    : ServiceActionKind.Start;
                if (kind == ServiceActionKind.Recreate)
                    recreated.Add(name);
                actions.Add(new ServiceAction(name, number, current.Name, kind, changed));
            }
            foreach (var (number, extra) in own.Where(o => o.Key > replicas).OrderBy(o => o.Key))
                actions.Add(new ServiceAction(name, number, extra.Name, ServiceActionKind.Remove, []));
        }
        var orphans = existing.Where(c => !project.Services.ContainsKey(c.Labels.GetValueOrDefault(ComposeLabels.Service) ?? "")).Select(c => c.Name).ToList();
        return new ProjectPlan(project, order, actions, orphans);
    }

    /// <summary>The services, each after those it depends on (the loader refused cycles), else in name order.</summary>
    public static IReadOnlyList<string> DependencyOrder(ComposeProject project) => Walk(project).Order;

    /// <summary>
    /// The services in levels: each after the levels of those it depends on (depends_on, where the
    /// loader also puts a service whose network, IPC or PID namespace it joins), so the services
    /// of one level may start together; each level in <see cref="DependencyOrder"/>'s order.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<string>> DependencyLevels(ComposeProject project) => Walk(project).Levels;

    private static DependencyWalk Walk(ComposeProject project) => DependencyWalk.Of(project.Services.Keys, s => project.Services[s].DependsOn.Keys);

    /// <summary>The container's number within its service, as its label says (1 for one made without it).</summary>
    internal static int NumberOf(ContainerInfo container) =>
        int.TryParse(container.Labels.GetValueOrDefault(ComposeLabels.ContainerNumber), NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : 1;

    /// <summary>The top-level fields of two canonical configurations that differ; a container made without ours (by docker compose) says only that its hash differs.</summary>
    internal static List<string> ChangedFields(string? before, string now)
    {
        if (before == null)
            return ["config-hash"];
        using var old = JsonDocument.Parse(before);
        using var current = JsonDocument.Parse(now);
        var oldFields = old.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetRawText(), StringComparer.Ordinal);
        var newFields = current.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetRawText(), StringComparer.Ordinal);
        var changed = oldFields.Keys.Union(newFields.Keys)
            .Where(k => oldFields.GetValueOrDefault(k) != newFields.GetValueOrDefault(k))
            .Order(StringComparer.Ordinal).ToList();
        return changed.Count > 0 ? changed : ["config-hash"];
    }
}
