using System.Globalization;
using Container.Runtime.Oci;

namespace Container.Runtime.Containers;

/// <summary>
/// A container's cgroup limits, as docker run names them. Null leaves a limit unset (or, for
/// a change, as it is). Sizes are bytes; read them from user input with <see cref="Parse"/>.
/// </summary>
public sealed class ResourceLimits
{
    public long? Memory { get; init; }

    /// <summary>Memory plus swap, as docker's --memory-swap (-1: unlimited swap).</summary>
    public long? MemorySwap { get; init; }

    public long? MemoryReservation { get; init; }

    /// <summary>CPUs, fractional (1.5): a CFS quota over the default period.</summary>
    public double? Cpus { get; init; }

    /// <summary>Relative weight: cgroup v1 shares (2-262144), converted to cpu.weight on v2.</summary>
    public ulong? CpuShares { get; init; }

    public string? CpusetCpus { get; init; }

    public string? CpusetMems { get; init; }

    /// <summary>Most processes at once (-1: unlimited).</summary>
    public long? PidsLimit { get; init; }

    /// <summary>Block IO weight, 10-1000.</summary>
    public ushort? BlkioWeight { get; init; }

    /// <summary>Per-device throttles: device path to bytes (or operations) per second.</summary>
    public IReadOnlyDictionary<string, ulong>? DeviceReadBps { get; init; }

    public IReadOnlyDictionary<string, ulong>? DeviceWriteBps { get; init; }

    public IReadOnlyDictionary<string, ulong>? DeviceReadIops { get; init; }

    public IReadOnlyDictionary<string, ulong>? DeviceWriteIops { get; init; }

    public const ulong CpuPeriod = 100_000;

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
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var cpus) || cpus <= 0 || cpus > Environment.ProcessorCount * 1000)
            throw Errors.Errors.InvalidLimit("Cpus", text, "a positive number of CPUs (1.5)");
        return cpus;
    }

    /// <summary>The checks docker makes, with the limit that fails named.</summary>
    public void Validate()
    {
        if (Memory is { } memory and not -1 && memory < 6 * 1024 * 1024)
            throw Errors.Errors.InvalidLimit("Memory", memory.ToString(), "at least 6MB (docker's minimum)");
        if (MemorySwap is { } swap and not -1)
        {
            if (Memory == null)
                throw Errors.Errors.InvalidLimit("MemorySwap", swap.ToString(), "set together with Memory");
            if (swap < Memory)
                throw Errors.Errors.InvalidLimit("MemorySwap", swap.ToString(), $"at least Memory ({Memory}): it is memory plus swap");
        }
        if (MemoryReservation is { } reservation && Memory is { } limit and not -1 && reservation > limit)
            throw Errors.Errors.InvalidLimit("MemoryReservation", reservation.ToString(), $"at most Memory ({limit})");
        if (CpuShares is { } shares && (shares < 2 || shares > 262144))
            throw Errors.Errors.InvalidLimit("CpuShares", shares.ToString(), "between 2 and 262144");
        if (BlkioWeight is { } weight && (weight < 10 || weight > 1000))
            throw Errors.Errors.InvalidLimit("BlkioWeight", weight.ToString(), "between 10 and 1000");
        if (PidsLimit is { } pids && pids != -1 && pids < 1)
            throw Errors.Errors.InvalidLimit("PidsLimit", pids.ToString(), "a positive number, or -1 for none");
        foreach (var (name, cpus) in new[] { ("CpusetCpus", CpusetCpus), ("CpusetMems", CpusetMems) })
            if (cpus != null && !System.Text.RegularExpressions.Regex.IsMatch(cpus, @"^\d+(-\d+)?(,\d+(-\d+)?)*$"))
                throw Errors.Errors.InvalidLimit(name, cpus, "a list like 0-2,4");
    }

    /// <summary>linux.resources for these limits, on top of the device rules (which stay).</summary>
    public void ApplyTo(ResourcesSpec resources)
    {
        if (Memory != null || MemorySwap != null || MemoryReservation != null)
        {
            resources.Memory ??= new MemorySpec();
            resources.Memory.Limit = Memory ?? resources.Memory.Limit;
            resources.Memory.Swap = MemorySwap ?? resources.Memory.Swap;
            resources.Memory.Reservation = MemoryReservation ?? resources.Memory.Reservation;
        }
        if (Cpus != null || CpuShares != null || CpusetCpus != null || CpusetMems != null)
        {
            resources.Cpu ??= new CpuSpec();
            if (Cpus is { } cpus)
            {
                resources.Cpu.Period = CpuPeriod;
                resources.Cpu.Quota = (long)Math.Round(cpus * CpuPeriod);
            }
            resources.Cpu.Shares = CpuShares ?? resources.Cpu.Shares;
            resources.Cpu.Cpus = CpusetCpus ?? resources.Cpu.Cpus;
            resources.Cpu.Mems = CpusetMems ?? resources.Cpu.Mems;
        }
        if (PidsLimit is { } pidsLimit)
            resources.Pids = new PidsSpec { Limit = pidsLimit };
        if (BlkioWeight != null || DeviceReadBps != null || DeviceWriteBps != null || DeviceReadIops != null || DeviceWriteIops != null)
        {
            resources.BlockIo ??= new BlockIoSpec();
            resources.BlockIo.Weight = BlkioWeight ?? resources.BlockIo.Weight;
            resources.BlockIo.ThrottleReadBpsDevice = Throttles(DeviceReadBps) ?? resources.BlockIo.ThrottleReadBpsDevice;
            resources.BlockIo.ThrottleWriteBpsDevice = Throttles(DeviceWriteBps) ?? resources.BlockIo.ThrottleWriteBpsDevice;
            resources.BlockIo.ThrottleReadIopsDevice = Throttles(DeviceReadIops) ?? resources.BlockIo.ThrottleReadIopsDevice;
            resources.BlockIo.ThrottleWriteIopsDevice = Throttles(DeviceWriteIops) ?? resources.BlockIo.ThrottleWriteIopsDevice;
        }
    }

    private static List<ThrottleDeviceSpec>? Throttles(IReadOnlyDictionary<string, ulong>? byDevice) =>
        byDevice?.Select(kv =>
        {
            var (major, minor) = Linux.Devices.Numbers(kv.Key);
            return new ThrottleDeviceSpec { Major = major, Minor = minor, Rate = kv.Value };
        }).ToList();
}
