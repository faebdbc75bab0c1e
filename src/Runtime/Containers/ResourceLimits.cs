using System.Globalization;
using Container.Runtime.Oci;

namespace Container.Runtime.Containers;

/// <summary>
/// A container's cgroup limits, as docker run names them: a value for each limit of
/// <see cref="LimitTable"/> that is set. Unset leaves a limit unset (or, for a change, as it
/// is). Sizes are bytes; read them from user input with <see cref="LimitArguments"/>.
/// </summary>
public sealed class ResourceLimits
{
    private readonly Dictionary<Limit, object> values = [];

    public long? Memory { get => Get(LimitTable.Memory); init => Set(LimitTable.Memory, value); }

    /// <summary>Memory plus swap, as docker's --memory-swap (-1: unlimited swap).</summary>
    public long? MemorySwap { get => Get(LimitTable.MemorySwap); init => Set(LimitTable.MemorySwap, value); }

    public long? MemoryReservation { get => Get(LimitTable.MemoryReservation); init => Set(LimitTable.MemoryReservation, value); }

    /// <summary>0-100: how readily the kernel swaps the container's memory out (cgroup v1 only).</summary>
    public ulong? MemorySwappiness { get => Get(LimitTable.MemorySwappiness); init => Set(LimitTable.MemorySwappiness, value); }

    /// <summary>CPUs, fractional (1.5): a CFS quota over the default period.</summary>
    public double? Cpus { get => Get(LimitTable.Cpus); init => Set(LimitTable.Cpus, value); }

    /// <summary>Relative weight: cgroup v1 shares (2-262144), converted to cpu.weight on v2.</summary>
    public ulong? CpuShares { get => Get(LimitTable.CpuShares); init => Set(LimitTable.CpuShares, value); }

    public string? CpusetCpus { get => Get(LimitTable.CpusetCpus); init => Set(LimitTable.CpusetCpus, value); }

    public string? CpusetMems { get => Get(LimitTable.CpusetMems); init => Set(LimitTable.CpusetMems, value); }

    /// <summary>Most processes at once (-1: unlimited).</summary>
    public long? PidsLimit { get => Get(LimitTable.PidsLimit); init => Set(LimitTable.PidsLimit, value); }

    /// <summary>Block IO weight, 10-1000.</summary>
    public ushort? BlkioWeight { get => Get(LimitTable.BlkioWeight); init => Set(LimitTable.BlkioWeight, value); }

    /// <summary>Per-device throttles: device path to bytes (or operations) per second.</summary>
    public IReadOnlyDictionary<string, ulong>? DeviceReadBps { get => Get(LimitTable.DeviceReadBps); init => Set(LimitTable.DeviceReadBps, value); }

    public IReadOnlyDictionary<string, ulong>? DeviceWriteBps { get => Get(LimitTable.DeviceWriteBps); init => Set(LimitTable.DeviceWriteBps, value); }

    public IReadOnlyDictionary<string, ulong>? DeviceReadIops { get => Get(LimitTable.DeviceReadIops); init => Set(LimitTable.DeviceReadIops, value); }

    public IReadOnlyDictionary<string, ulong>? DeviceWriteIops { get => Get(LimitTable.DeviceWriteIops); init => Set(LimitTable.DeviceWriteIops, value); }

    private T? Get<T>(Limit<T> limit) => values.TryGetValue(limit, out var value) ? (T)value : default;

    private void Set<T>(Limit<T> limit, T value) => Set((Limit)limit, value);

    private void Set(Limit limit, object? value)
    {
        if (value == null)
            values.Remove(limit);
        else
            values[limit] = value;
    }

    /// <summary>No limit is set.</summary>
    internal bool IsEmpty => values.Count == 0;

    /// <summary>The limits that are set, in the table's order.</summary>
    internal IEnumerable<(Limit Limit, object Value)> Given =>
        LimitTable.All.Where(values.ContainsKey).Select(limit => (limit, values[limit]));

    /// <summary>Limits from values by limit (unset where null).</summary>
    internal static ResourceLimits Of(IEnumerable<(Limit Limit, object? Value)> byLimit)
    {
        var limits = new ResourceLimits();
        foreach (var (limit, value) in byLimit)
            limits.Set(limit, value);
        return limits;
    }

    /// <summary>The limits a bundle's resources set.</summary>
    public static ResourceLimits From(ResourcesSpec? resources) =>
        Of(resources == null ? [] : LimitTable.All.Select(limit => (limit, limit.Read(resources))));

    /// <summary>These limits with change's set ones in their place (device throttles device by device).</summary>
    public ResourceLimits With(ResourceLimits change) =>
        Of(LimitTable.All.Select(limit => (limit, (values.GetValueOrDefault(limit), change.values.GetValueOrDefault(limit)) switch
        {
            ({ } current, { } changed) => limit.Merge(current, changed),
            var (current, changed) => changed ?? current,
        })));

    /// <summary>Each limit by name, as a user reads it; "(none)" where it is unset.</summary>
    public static IEnumerable<(string Name, string Value)> Describe(ResourceLimits limits) =>
        LimitTable.All.Select(limit => (limit.Name, limits.values.TryGetValue(limit, out var value) ? limit.Describe(value) : "(none)"));

    /// <summary>The checks docker makes, on the host's cgroups, with the limit that fails named.</summary>
    internal void Validate(Cgroups.CgroupHierarchy cgroups)
    {
        foreach (var (limit, value) in Given)
            limit.Validate(value, this, cgroups);
    }

    /// <summary>linux.resources for these limits, on top of what the resources set already (the device rules stay).</summary>
    public void ApplyTo(ResourcesSpec resources)
    {
        foreach (var (limit, value) in Given)
            limit.Write(value, resources);
    }

    public static long ParseSize(string text, string limit)
    {
        if (text.Trim() == "-1")
            return -1;
        if (!Text.ByteSize.TryParse(text, out var bytes))
            throw Errors.Errors.InvalidLimit(limit, text, "a size (67108864, 64MB or 64m)");
        return bytes;
    }

    public static double ParseCpus(string text)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var cpus) || cpus <= 0)
            throw Errors.Errors.InvalidLimit("Cpus", text, "a positive number of CPUs (1.5)");
        return cpus;
    }
}
