using Container.Runtime.Oci;

namespace Container.Runtime.Containers;

/// <summary>
/// Every cgroup limit a container can have, one row each, as docker run names them. A new
/// limit is a row here, its property on <see cref="ResourceLimits"/>, and its parameter on
/// the module's LimitsCmdlet (with its help): parsing, checks, the bundle, live updates,
/// -WhatIf and Get-CgroupLimit follow from the row.
/// </summary>
internal static class LimitTable
{
    /// <summary>The CFS period a CPU count is a quota of.</summary>
    public const ulong CpuPeriod = 100_000;

    public static readonly Limit<long?> Memory = new("Memory", LimitUnits.Bytes, "memory/memory.limit_in_bytes", "memory.max")
    {
        Check = (memory, _, _) => memory is not -1 and < 6 * 1024 * 1024 ? "at least 6MB (docker's minimum)" : null,
        ReadFrom = r => r.Memory?.Limit,
        WriteTo = (r, memory) => MemoryOf(r).Limit = memory,
    };

    /// <summary>Memory plus swap, as docker's --memory-swap (-1: unlimited swap).</summary>
    public static readonly Limit<long?> MemorySwap = new("MemorySwap", LimitUnits.Bytes, "memory/memory.memsw.limit_in_bytes", "memory.swap.max")
    {
        Check = (swap, all, cgroups) => swap == -1 ? null
            : all.Memory == null ? "set together with Memory"
            : swap < all.Memory ? $"at least Memory ({all.Memory}): it is memory plus swap"
            : !cgroups.HasSwapLimit ? "left unset on this host: its kernel does not account swap (boot it with swapaccount=1)"
            : null,
        ReadFrom = r => r.Memory?.Swap,
        WriteTo = (r, swap) => MemoryOf(r).Swap = swap,
    };

    public static readonly Limit<long?> MemoryReservation = new("MemoryReservation", LimitUnits.Bytes, "memory/memory.soft_limit_in_bytes", "memory.low")
    {
        Check = (reservation, all, _) => all.Memory is { } limit and not -1 && reservation > limit ? $"at most Memory ({limit})" : null,
        ReadFrom = r => r.Memory?.Reservation,
        WriteTo = (r, reservation) => MemoryOf(r).Reservation = reservation,
    };

    /// <summary>How readily the kernel swaps the container's memory out (docker's --memory-swappiness); cgroup v1 alone has it.</summary>
    public static readonly Limit<ulong?> MemorySwappiness = new("MemorySwappiness", LimitUnits.Natural<ulong>(), "memory/memory.swappiness", null)
    {
        Check = (swappiness, _, _) => swappiness > 100 ? "a number from 0 to 100" : null,
        ReadFrom = r => r.Memory?.Swappiness,
        WriteTo = (r, swappiness) => MemoryOf(r).Swappiness = swappiness,
    };

    /// <summary>CPUs, fractional (1.5): a CFS quota over <see cref="CpuPeriod"/>.</summary>
    public static readonly Limit<double?> Cpus = new("Cpus", LimitUnits.Cpus, "cpu/cpu.cfs_quota_us", "cpu.max")
    {
        Check = (cpus, _, _) => cpus >= 0.01 && cpus <= Environment.ProcessorCount ? null // NaN fails too
            : $"from 0.01 to {Environment.ProcessorCount}: this host has {Environment.ProcessorCount} CPUs",
        ReadFrom = r => r.Cpu?.Quota is > 0 and var quota ? (double)quota / (r.Cpu.Period ?? CpuPeriod) : null,
        WriteTo = (r, cpus) =>
        {
            CpuOf(r).Period = CpuPeriod;
            CpuOf(r).Quota = (long)Math.Round(cpus!.Value * CpuPeriod);
        },
    };

    /// <summary>Relative weight: cgroup v1 shares (2-262144), converted to cpu.weight on v2.</summary>
    public static readonly Limit<ulong?> CpuShares = new("CpuShares", LimitUnits.Natural<ulong>(), "cpu/cpu.shares", "cpu.weight")
    {
        Check = (shares, _, _) => shares is < 2 or > 262144 ? "between 2 and 262144" : null,
        ReadFrom = r => r.Cpu?.Shares,
        WriteTo = (r, shares) => CpuOf(r).Shares = shares,
    };

    public static readonly Limit<string?> CpusetCpus = new("CpusetCpus", LimitUnits.List, "cpuset/cpuset.cpus", "cpuset.cpus")
    {
        Check = (list, _, _) => CpusetList.Check(list!, "/sys/devices/system/cpu/online", "CPUs"),
        ReadFrom = r => r.Cpu?.Cpus,
        WriteTo = (r, list) => CpuOf(r).Cpus = list,
    };

    public static readonly Limit<string?> CpusetMems = new("CpusetMems", LimitUnits.List, "cpuset/cpuset.mems", "cpuset.mems")
    {
        Check = (list, _, _) => CpusetList.Check(list!, "/sys/devices/system/node/online", "memory nodes"),
        ReadFrom = r => r.Cpu?.Mems,
        WriteTo = (r, list) => CpuOf(r).Mems = list,
    };

    /// <summary>Most processes at once (-1: unlimited).</summary>
    public static readonly Limit<long?> PidsLimit = new("PidsLimit", LimitUnits.Count, "pids/pids.max", "pids.max")
    {
        Check = (pids, _, _) => pids is not -1 and < 1 ? "a positive number, or -1 for none" : null,
        ReadFrom = r => r.Pids?.Limit,
        WriteTo = (r, pids) => r.Pids = new PidsSpec { Limit = pids!.Value },
    };

    /// <summary>Block IO weight, 10-1000 (v1's file is blkio.bfq.weight under BFQ).</summary>
    public static readonly Limit<ushort?> BlkioWeight = new("BlkioWeight", LimitUnits.Natural<ushort>(), "blkio/blkio.weight", "io.weight")
    {
        Check = (weight, _, cgroups) => weight is < 10 or > 1000 ? "between 10 and 1000"
            : !cgroups.HasBlockIoWeight ? "left unset on this host: its kernel weighs block IO only with the BFQ scheduler, which no disk uses here"
            : null,
        ReadFrom = r => r.BlockIo?.Weight,
        WriteTo = (r, weight) => BlockIoOf(r).Weight = weight,
    };

    /// <summary>Per-device throttles: device path to bytes (or operations) per second.</summary>
    public static readonly Limit<IReadOnlyDictionary<string, ulong>?> DeviceReadBps = Throttle("DeviceReadBps", LimitUnits.BytesPerSecond,
        "blkio/blkio.throttle.read_bps_device", io => io.ThrottleReadBpsDevice, (io, throttles) => io.ThrottleReadBpsDevice = throttles);

    public static readonly Limit<IReadOnlyDictionary<string, ulong>?> DeviceWriteBps = Throttle("DeviceWriteBps", LimitUnits.BytesPerSecond,
        "blkio/blkio.throttle.write_bps_device", io => io.ThrottleWriteBpsDevice, (io, throttles) => io.ThrottleWriteBpsDevice = throttles);

    public static readonly Limit<IReadOnlyDictionary<string, ulong>?> DeviceReadIops = Throttle("DeviceReadIops", LimitUnits.OperationsPerSecond,
        "blkio/blkio.throttle.read_iops_device", io => io.ThrottleReadIopsDevice, (io, throttles) => io.ThrottleReadIopsDevice = throttles);

    public static readonly Limit<IReadOnlyDictionary<string, ulong>?> DeviceWriteIops = Throttle("DeviceWriteIops", LimitUnits.OperationsPerSecond,
        "blkio/blkio.throttle.write_iops_device", io => io.ThrottleWriteIopsDevice, (io, throttles) => io.ThrottleWriteIopsDevice = throttles);

    /// <summary>Every limit, in the order a user reads them.</summary>
    public static readonly IReadOnlyList<Limit> All =
    [
        Memory, MemorySwap, MemoryReservation, MemorySwappiness, Cpus, CpuShares, CpusetCpus, CpusetMems, PidsLimit,
        BlkioWeight, DeviceReadBps, DeviceWriteBps, DeviceReadIops, DeviceWriteIops,
    ];

    private static MemorySpec MemoryOf(ResourcesSpec r) => r.Memory ??= new MemorySpec();

    private static CpuSpec CpuOf(ResourcesSpec r) => r.Cpu ??= new CpuSpec();

    private static BlockIoSpec BlockIoOf(ResourcesSpec r) => r.BlockIo ??= new BlockIoSpec();

    /// <summary>A throttle of block IO by device: v2 shows them all in io.max, a line per device.</summary>
    private static Limit<IReadOnlyDictionary<string, ulong>?> Throttle(string name, LimitUnit<IReadOnlyDictionary<string, ulong>?> unit, string v1File,
        Func<BlockIoSpec, List<ThrottleDeviceSpec>?> get, Action<BlockIoSpec, List<ThrottleDeviceSpec>> set) => new(name, unit, v1File, "io.max")
    {
        // each device named is one of the host's: its numbers go in the bundle
        Check = (rates, _, _) =>
        {
            foreach (var device in rates!.Keys)
                Linux.Devices.Numbers(device);
            return null;
        },
        ReadFrom = r => ByDevice(r.BlockIo is { } io ? get(io) : null),
        WriteTo = (r, rates) => set(BlockIoOf(r), Throttles(rates!)),
    };

    private static Dictionary<string, ulong>? ByDevice(List<ThrottleDeviceSpec>? throttles) =>
        throttles is { Count: > 0 } ? throttles.ToDictionary(t => Linux.Devices.PathOf(t.Major, t.Minor), t => t.Rate) : null;

    private static List<ThrottleDeviceSpec> Throttles(IReadOnlyDictionary<string, ulong> byDevice) =>
        byDevice.Select(kv =>
        {
            var (major, minor) = Linux.Devices.Numbers(kv.Key);
            return new ThrottleDeviceSpec { Major = major, Minor = minor, Rate = kv.Value };
        }).ToList();
}
