namespace Container.Runtime.Containers;

/// <summary>The limits in force on a container (Get-CgroupLimit, Set-CgroupLimit's result).</summary>
public sealed class ContainerLimits
{
    public required string Id { get; init; }

    public string ShortId => Ids.Short(Id);

    public required string Name { get; init; }

    public required ResourceLimits Limits { get; init; }

    /// <summary>"Memory=64MiB, PidsLimit=50": the limits that are set, for a table.</summary>
    public string Summary
    {
        get
        {
            var set = ResourceLimits.Describe(Limits).Where(d => d.Value != "(none)").Select(d => $"{d.Name}={d.Value}");
            var text = string.Join(", ", set);
            return text.Length > 0 ? text : "(none)";
        }
    }
}
