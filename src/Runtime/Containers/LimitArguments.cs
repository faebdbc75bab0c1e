namespace Container.Runtime.Containers;

/// <summary>
/// Limits as a user gives them, to be read into <see cref="ResourceLimits"/>: sizes as
/// numbers (PowerShell's 64MB) or docker's strings ("64m"), device rates keyed by device path.
/// </summary>
public sealed class LimitArguments
{
    public string? Memory { get; init; }
    public string? MemorySwap { get; init; }
    public string? MemoryReservation { get; init; }
    public double? Cpus { get; init; }
    public long? CpuShares { get; init; }
    public string? CpusetCpus { get; init; }
    public string? CpusetMems { get; init; }
    public long? PidsLimit { get; init; }
    public long? BlkioWeight { get; init; }
    public IReadOnlyDictionary<string, string>? DeviceReadBps { get; init; }
    public IReadOnlyDictionary<string, string>? DeviceWriteBps { get; init; }
    public IReadOnlyDictionary<string, string>? DeviceReadIops { get; init; }
    public IReadOnlyDictionary<string, string>? DeviceWriteIops { get; init; }

    /// <summary>The limits a change sets (docker update): at least one, or NoLimitGiven.</summary>
    public ResourceLimits ToChange() => ToLimits() ?? throw Errors.Errors.InvalidArgument("NoLimitGiven",
        "Give at least one limit to set (-Memory, -Cpus, -PidsLimit...).", null);

    /// <summary>The limits these set, read but not yet checked together (a change is checked with the limits it changes); null when none is set.</summary>
    public ResourceLimits? ToLimits()
    {
        var limits = new ResourceLimits
        {
            Memory = Size(Memory, nameof(Memory)),
            MemorySwap = Size(MemorySwap, nameof(MemorySwap)),
            MemoryReservation = Size(MemoryReservation, nameof(MemoryReservation)),
            Cpus = Cpus,
            CpuShares = CpuShares is { } shares ? (ulong)Fits(shares, ulong.MaxValue, nameof(CpuShares)) : null,
            CpusetCpus = CpusetCpus,
            CpusetMems = CpusetMems,
            PidsLimit = PidsLimit,
            BlkioWeight = BlkioWeight is { } weight ? (ushort)Fits(weight, ushort.MaxValue, nameof(BlkioWeight)) : null,
            DeviceReadBps = Rates(DeviceReadBps, nameof(DeviceReadBps), bytes: true),
            DeviceWriteBps = Rates(DeviceWriteBps, nameof(DeviceWriteBps), bytes: true),
            DeviceReadIops = Rates(DeviceReadIops, nameof(DeviceReadIops), bytes: false),
            DeviceWriteIops = Rates(DeviceWriteIops, nameof(DeviceWriteIops), bytes: false),
        };
        return ResourceLimits.Describe(limits).All(d => d.Value == "(none)") ? null : limits;
    }

    private static long? Size(string? text, string limit) => text == null ? null : ResourceLimits.ParseSize(text, limit);

    /// <summary>A number that fits the limit's type; its range is checked with the rest.</summary>
    private static long Fits(long value, ulong max, string limit) =>
        value >= 0 && (ulong)value <= max ? value : throw Errors.Errors.InvalidLimit(limit, value.ToString(), $"a number from 0 to {max}");

    private static Dictionary<string, ulong>? Rates(IReadOnlyDictionary<string, string>? byDevice, string limit, bool bytes) =>
        byDevice?.ToDictionary(kv => kv.Key, kv =>
        {
            var rate = bytes ? ResourceLimits.ParseSize(kv.Value, limit)
                : long.TryParse(kv.Value, out var n) ? n : throw Errors.Errors.InvalidLimit(limit, kv.Value, "a number of operations per second");
            return rate > 0 ? (ulong)rate : throw Errors.Errors.InvalidLimit(limit, kv.Value, "a positive rate");
        });
}
