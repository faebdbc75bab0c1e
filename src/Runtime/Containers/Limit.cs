using System.Globalization;
using Container.Runtime.Cgroups;
using Container.Runtime.Oci;

namespace Container.Runtime.Containers;

/// <summary>
/// One cgroup limit, described once: its name (the parameter's, as docker run names it), its
/// unit (how a value is given and shown), what a value may be, where it goes in the bundle's
/// linux.resources, and the file the kernel shows it in. <see cref="LimitTable"/> holds them
/// all; everything that reads, checks, writes or shows limits goes through it.
/// </summary>
internal abstract class Limit(string name, string v1File, string? v2File)
{
    public string Name { get; } = name;

    /// <summary>The file that shows it under the v1 controller's mount: "memory/memory.limit_in_bytes".</summary>
    public string V1File { get; } = v1File;

    /// <summary>The file that shows it in the v2 tree ("memory.max"); null where v2 has none, and the limit is refused there.</summary>
    public string? V2File { get; } = v2File;

    /// <summary>A value as a user gives it (a parameter's: "64m", 1.5, @{...}), read; InvalidLimit when it is not one.</summary>
    public abstract object? Parse(object given);

    /// <summary>Docker's checks of a value, with the other limits it is set with, on the host's cgroups; InvalidLimit naming this limit when it fails.</summary>
    public abstract void Validate(object value, ResourceLimits all, CgroupHierarchy cgroups);

    /// <summary>The value a bundle's resources set; null when they do not.</summary>
    public abstract object? Read(ResourcesSpec resources);

    public abstract void Write(object value, ResourcesSpec resources);

    public abstract string Describe(object value);

    /// <summary>A value changed by another: the other in its place, or both (rates, device by device).</summary>
    public abstract object Merge(object current, object change);
}

/// <summary>A limit whose values are T (nullable: long?, string?), held by <see cref="ResourceLimits"/>.</summary>
internal sealed class Limit<T>(string name, LimitUnit<T> unit, string v1File, string? v2File) : Limit(name, v1File, v2File)
{
    /// <summary>What a value must be beyond its unit's form: what to give instead, or null when it will do.</summary>
    public Func<T, ResourceLimits, CgroupHierarchy, string?> Check { get; init; } = (_, _, _) => null;

    public required Func<ResourcesSpec, T> ReadFrom { get; init; }

    public required Action<ResourcesSpec, T> WriteTo { get; init; }

    public override object? Parse(object given) => unit.Parse(given, Name);

    public override void Validate(object value, ResourceLimits all, CgroupHierarchy cgroups)
    {
        var expected = Check((T)value, all, cgroups)
                       ?? (cgroups.LimitFile(V1File, V2File) == null
                           ? $"left unset on this host: it is cgroup v1's {V1File}, which cgroup v2 does not have"
                           : null);
        if (expected != null)
            throw Errors.Errors.InvalidLimit(Name, Convert.ToString(value, CultureInfo.InvariantCulture) ?? "", expected);
    }

    public override object? Read(ResourcesSpec resources) => ReadFrom(resources);

    public override void Write(object value, ResourcesSpec resources) => WriteTo(resources, (T)value);

    public override string Describe(object value) => unit.Describe((T)value);

    public override object Merge(object current, object change) => unit.Merge((T)current, (T)change)!;
}
