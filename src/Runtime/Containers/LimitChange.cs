using System.Security.Cryptography;
using Container.Runtime.Oci;

namespace Container.Runtime.Containers;

/// <summary>
/// A change of a container's limits, planned and checked but not yet made: what they are,
/// what they will be, what to beware of. Applying it makes exactly this change, and only to
/// the bundle it was planned on: one changed meanwhile (by another session) refuses it.
/// </summary>
public sealed class LimitChange
{
    /// <summary>The bundle's config as planned on, serialized and hashed: what applying checks it still is.</summary>
    private readonly byte[] plannedOn;

    private LimitChange(string id, string container, ResourceLimits before, ResourceLimits after, IReadOnlyList<string> warnings, byte[] plannedOn)
    {
        Id = id;
        Container = container;
        Before = before;
        After = after;
        Warnings = warnings;
        this.plannedOn = plannedOn;
    }

    public string Id { get; }

    /// <summary>The container's name.</summary>
    public string Container { get; }

    public ResourceLimits Before { get; }

    public ResourceLimits After { get; }

    public IReadOnlyList<string> Warnings { get; }

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

    /// <summary>
    /// The change to a container's bundle config, checked as a whole (the limits it keeps with
    /// those it sets) on the host's cgroups; memoryInUse, for one that runs, is what it uses now.
    /// </summary>
    internal static LimitChange Plan(string id, string name, RuntimeSpec config, ResourceLimits change, Func<long>? memoryInUse, Cgroups.CgroupHierarchy cgroups)
    {
        var before = ResourceLimits.From(config.Linux.Resources);
        var after = before.With(change);
        after.Validate(cgroups);
        var warnings = new List<string>();
        if (change.Memory is { } memory and > 0 && memoryInUse?.Invoke() is { } used && memory < used)
            warnings.Add($"The memory limit {Text.ByteSize.FormatBinary(memory)} is below what container '{name}' uses now " +
                         $"({Text.ByteSize.FormatBinary(used)}): the kernel will reclaim what it can, and may kill processes.");
        return new LimitChange(id, name, before, after, warnings, Digest(config));
    }

    /// <summary>The bundle config with this change made; refused when it is no longer the config this was planned on.</summary>
    internal RuntimeSpec ApplyTo(RuntimeSpec config)
    {
        if (!Digest(config).AsSpan().SequenceEqual(plannedOn))
            throw Errors.Errors.LimitsChangedSincePlanned(Container);
        config.Linux.Resources ??= new ResourcesSpec();
        After.ApplyTo(config.Linux.Resources);
        return config;
    }

    /// <summary>What the runtime's update is given: the limits alone, the device rules as they are.</summary>
    internal ResourcesSpec LiveResources()
    {
        var resources = new ResourcesSpec();
        After.ApplyTo(resources);
        return resources;
    }

    private static byte[] Digest(RuntimeSpec config) => SHA256.HashData(Json.Serialize(config));
}
