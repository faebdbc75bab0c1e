namespace Container.Runtime.Containers;

/// <summary>
/// Limits as a user gives them, by name (a cmdlet's bound parameters, named as the limits of
/// <see cref="LimitTable"/> are; other names are not limits and are passed over), each read by
/// its limit's unit: sizes as numbers (PowerShell's 64MB) or docker's strings ("64m"), device
/// rates as maps (@{ '/dev/sda' = '1mb' }).
/// </summary>
public sealed class LimitArguments(IReadOnlyDictionary<string, object> given)
{
    /// <summary>The limits a change sets (docker update): at least one, or NoLimitGiven.</summary>
    public ResourceLimits ToChange() => ToLimits() ?? throw Errors.Errors.InvalidArgument("NoLimitGiven",
        "Give at least one limit to set (-Memory, -Cpus, -PidsLimit...).", null);

    /// <summary>The limits these set, read but not yet checked together (a change is checked with the limits it changes); null when none is set.</summary>
    public ResourceLimits? ToLimits()
    {
        var limits = ResourceLimits.Of(LimitTable.All.Select(limit =>
            (limit, given.TryGetValue(limit.Name, out var value) && value != null ? limit.Parse(value) : null)));
        return limits.IsEmpty ? null : limits;
    }
}
