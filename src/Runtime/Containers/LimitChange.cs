namespace Container.Runtime.Containers;

/// <summary>A change of a container's limits, before it is made: what they are, what they will be, what to beware of.</summary>
public sealed class LimitChange
{
    public required string Container { get; init; }

    public required ResourceLimits Before { get; init; }

    public required ResourceLimits After { get; init; }

    public required IReadOnlyList<string> Warnings { get; init; }

    /// <summary>"Memory: 64MB -> 128MB, PidsLimit: (none) -> 50": for -WhatIf and confirmation.</summary>
    public string Description
    {
        get
        {
            var changes = ResourceLimits.Describe(Before).Zip(ResourceLimits.Describe(After))
                .Where(p => p.First.Value != p.Second.Value)
                .Select(p => $"{p.First.Name}: {p.First.Value} -> {p.Second.Value}");
            var text = string.Join(", ", changes);
            return text.Length > 0 ? text : "no change";
        }
    }
}
