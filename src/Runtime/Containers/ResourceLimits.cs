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

    /// <summary>The limits a bundle's resources set.</summary>
    public static ResourceLimits From(ResourcesSpec? resources) => new()
    {
        Memory = resources?.Memory?.Limit,
        MemorySwap = resources?.Memory?.Swap,
        MemoryReservation = resources?.Memory?.Reservation,
        Cpus = resources?.Cpu?.Quota is > 0 and var quota ? (double)quota / (resources.Cpu.Period ?? CpuPeriod) : null,
        CpuShares = resources?.Cpu?.Shares,
        CpusetCpus = resources?.Cpu?.Cpus,
        CpusetMems = resources?.Cpu?.Mems,
        PidsLimit = resources?.Pids?.Limit,
        BlkioWeight = resources?.BlockIo?.Weight,
        DeviceReadBps = ByDevice(resources?.BlockIo?.ThrottleReadBpsDevice),
        DeviceWriteBps = ByDevice(resources?.BlockIo?.ThrottleWriteBpsDevice),
        DeviceReadIops = ByDevice(resources?.BlockIo?.ThrottleReadIopsDevice),
        DeviceWriteIops = ByDevice(resources?.BlockIo?.ThrottleWriteIopsDevice),
    };

    private static Dictionary<string, ulong>? ByDevice(List<ThrottleDeviceSpec>? throttles) =>
        throttles is { Count: > 0 } ? throttles.ToDictionary(t => Linux.Devices.PathOf(t.Major, t.Minor), t => t.Rate) : null;

    /// <summary>These limits with change's set ones in their place (device throttles device by device).</summary>
    public ResourceLimits With(ResourceLimits change) => new()
    {
        Memory = change.Memory ?? Memory,
        MemorySwap = change.MemorySwap ?? MemorySwap,
        MemoryReservation = change.MemoryReservation ?? MemoryReservation,
        Cpus = change.Cpus ?? Cpus,
        CpuShares = change.CpuShares ?? CpuShares,
        CpusetCpus = change.CpusetCpus ?? CpusetCpus,
        CpusetMems = change.CpusetMems ?? CpusetMems,
        PidsLimit = change.PidsLimit ?? PidsLimit,
        BlkioWeight = change.BlkioWeight ?? BlkioWeight,
        DeviceReadBps = Merge(DeviceReadBps, change.DeviceReadBps),
        DeviceWriteBps = Merge(DeviceWriteBps, change.DeviceWriteBps),
        DeviceReadIops = Merge(DeviceReadIops, change.DeviceReadIops),
        DeviceWriteIops = Merge(DeviceWriteIops, change.DeviceWriteIops),
    };

    private static IReadOnlyDictionary<string, ulong>? Merge(IReadOnlyDictionary<string, ulong>? current, IReadOnlyDictionary<string, ulong>? change)
    {
        if (change == null || current == null)
            return change ?? current;
        var merged = new Dictionary<string, ulong>(current);
        foreach (var (device, rate) in change)
            merged[device] = rate;
        return merged;
    }

    /// <summary>Each limit by name, as a user reads it.</summary>
    public static IEnumerable<(string Name, string Value)> Describe(ResourceLimits limits)
    {
        static string Size(long? bytes) => bytes switch { null => "(none)", -1 => "unlimited", _ => Text.ByteSize.FormatBinary(bytes.Value) };
        yield return ("Memory", Size(limits.Memory));
        yield return ("MemorySwap", Size(limits.MemorySwap));
        yield return ("MemoryReservation", Size(limits.MemoryReservation));
        yield return ("Cpus", limits.Cpus?.ToString(CultureInfo.InvariantCulture) ?? "(none)");
        yield return ("CpuShares", limits.CpuShares?.ToString() ?? "(none)");
        yield return ("CpusetCpus", limits.CpusetCpus ?? "(none)");
        yield return ("CpusetMems", limits.CpusetMems ?? "(none)");
        yield return ("PidsLimit", limits.PidsLimit?.ToString() ?? "(none)");
        yield return ("BlkioWeight", limits.BlkioWeight?.ToString() ?? "(none)");
        static string Rates(IReadOnlyDictionary<string, ulong>? byDevice, Func<ulong, string> format) =>
            byDevice is { Count: > 0 } ? string.Join(" ", byDevice.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}={format(kv.Value)}")) : "(none)";
        static string PerSecond(ulong bytes) => Text.ByteSize.FormatBinary((long)bytes) + "/s";
        static string Operations(ulong count) => $"{count}/s";
        yield return ("DeviceReadBps", Rates(limits.DeviceReadBps, PerSecond));
        yield return ("DeviceWriteBps", Rates(limits.DeviceWriteBps, PerSecond));
        yield return ("DeviceReadIops", Rates(limits.DeviceReadIops, Operations));
        yield return ("DeviceWriteIops", Rates(limits.DeviceWriteIops, Operations));
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
        if (Cpus is { } wanted && !(wanted >= 0.01 && wanted <= Environment.ProcessorCount)) // NaN too
            throw Errors.Errors.InvalidLimit("Cpus", wanted.ToString(CultureInfo.InvariantCulture),
                $"from 0.01 to {Environment.ProcessorCount}: this host has {Environment.ProcessorCount} CPUs");
        CheckList("CpusetCpus", CpusetCpus, "/sys/devices/system/cpu/online", "CPUs");
        CheckList("CpusetMems", CpusetMems, "/sys/devices/system/node/online", "memory nodes");
        foreach (var device in new[] { DeviceReadBps, DeviceWriteBps, DeviceReadIops, DeviceWriteIops }.SelectMany(d => d?.Keys ?? []))
            Linux.Devices.Numbers(device);
        if (BlkioWeight != null && !Cgroups.CgroupHierarchy.Host.HasBlockIoWeight)
            throw Errors.Errors.InvalidLimit("BlkioWeight", BlkioWeight.ToString()!,
                "left unset on this host: its kernel weighs block IO only with the BFQ scheduler, which no disk uses here");
        if (MemorySwap is not null and not -1 && !Cgroups.CgroupHierarchy.Host.HasSwapLimit)
            throw Errors.Errors.InvalidLimit("MemorySwap", MemorySwap.ToString()!,
                "left unset on this host: its kernel does not account swap (boot it with swapaccount=1)");
    }

    /// <summary>A cpuset list ("0-2,4") whose members the host has online.</summary>
    private static void CheckList(string name, string? list, string onlineFile, string what)
    {
        if (list == null)
            return;
        if (ParseList(list) is not { } wanted)
            throw Errors.Errors.InvalidLimit(name, list, "a list like 0-2,4");
        // a host without NUMA has no node directory: node 0 alone
        var online = File.Exists(onlineFile) ? ParseList(File.ReadAllText(onlineFile).Trim()) ?? [] : [0];
        if (wanted.Except(online).Any())
            throw Errors.Errors.InvalidLimit(name, list, $"within the host's online {what} ({string.Join(',', online)})");
    }

    private static HashSet<int>? ParseList(string list)
    {
        var members = new HashSet<int>();
        foreach (var part in list.Split(','))
        {
            var range = part.Split('-');
            if (range.Length > 2 || !int.TryParse(range[0], NumberStyles.None, CultureInfo.InvariantCulture, out var first))
                return null;
            var last = first;
            if (range.Length == 2 && (!int.TryParse(range[1], NumberStyles.None, CultureInfo.InvariantCulture, out last) || last < first || last - first > 4096))
                return null;
            for (var member = first; member <= last; member++)
                members.Add(member);
        }
        return members;
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
