namespace Container.Runtime.Containers;

/// <summary>The limits in force on a container (Get-CgroupLimit, Set-CgroupLimit's result).</summary>
public sealed class ContainerLimits
{
    public required string Id { get; init; }

    public string ShortId => Ids.Short(Id);

    public required string Name { get; init; }

    public required ResourceLimits Limits { get; init; }

    /// <summary>"Memory=64MiB", "PidsLimit=50": each limit that is set, for a table's lines.</summary>
    public IReadOnlyList<string> Settings =>
        Limits.IsEmpty ? ["(none)"] : Limits.Given.Select(g => $"{g.Limit.Name}={g.Limit.Describe(g.Value)}").ToList();

    /// <summary>"Memory=64MiB, PidsLimit=50": the limits that are set, on one line.</summary>
    public string Summary => string.Join(", ", Settings);
}
