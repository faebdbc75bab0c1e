namespace Container.Runtime.Cgroups;

/// <summary>
/// The host's cgroups as the engine reads them (status, stats, processes, what limits the
/// kernel can hold): one interface, a driver for v2 (one tree) and one for v1 (a mount per
/// controller, or per group of them), chosen by probing, as the native core has. The engine
/// gets it from ContainerEngine, so a test can give it another.
/// </summary>
internal abstract class CgroupHierarchy
{
    public const string Root = "/sys/fs/cgroup";

    private static readonly Lazy<CgroupHierarchy> Probed = new(Probe);

    private static readonly Lazy<long> HostMemory = new(() =>
    {
        foreach (var line in File.ReadLines("/proc/meminfo"))
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        return 0;
    });

    /// <summary>This host's, probed once.</summary>
    public static CgroupHierarchy Host => Probed.Value;

    /// <summary>Whether block IO can be weighed: v1 needs a blkio.weight file (CFQ or BFQ), v2 the io controller.</summary>
    public abstract bool HasBlockIoWeight { get; }

    /// <summary>Whether memory plus swap can be limited: v1 needs swap accounting, v2 the memory controller.</summary>
    public abstract bool HasSwapLimit { get; }

    /// <summary>Whether the cgroup at path exists (on v1, in any hierarchy the engine reads).</summary>
    public abstract bool Exists(string path);

    /// <summary>Whether the cgroup was asked to freeze: paused, though its last task may not have stopped yet.</summary>
    public abstract bool IsFrozen(string path);

    /// <summary>Of a limit's files (v1's "memory/memory.swappiness", v2's "memory.max"), the one this host shows it in; null where it has none.</summary>
    public abstract string? LimitFile(string v1File, string? v2File);

    /// <summary>The same counters docker stats reads; null when the cgroup is gone (its container ended meanwhile).</summary>
    public abstract ResourceUsage? Usage(string path);

    /// <summary>Every pid in the cgroup at path and the cgroups below it.</summary>
    public abstract IReadOnlyList<int> Processes(string path);

    /// <summary>A file's content, trimmed; null when it (or its controller: dir null) is not there.</summary>
    protected static string? Read(string? dir, string file) =>
        dir == null ? null : Linux.CounterFiles.ReadText(Path.Combine(dir, file))?.Trim();

    /// <summary>A flat "key value" file (memory.stat, cpu.stat) as a map.</summary>
    protected static Dictionary<string, long> ReadKeyed(string? dir, string file) => Keyed(Read(dir, file));

    /// <summary>A flat "key value" text as a map; empty for none.</summary>
    protected static Dictionary<string, long> Keyed(string? text)
    {
        var values = new Dictionary<string, long>();
        foreach (var line in (text ?? "").Split('\n'))
        {
            var parts = line.Split(' ', 2);
            if (parts.Length == 2 && long.TryParse(parts[1], out var value))
                values[parts[0]] = value;
        }
        return values;
    }

    protected static long Number(string? text) => long.TryParse(text, out var n) ? n : 0;

    /// <summary>No limit reads as "max" on v2 and as a huge number on v1: the host's memory is the limit then.</summary>
    protected static long LimitOrHostMemory(long limit) => limit <= 0 || limit > HostMemory.Value ? HostMemory.Value : limit;

    /// <summary>Every pid in a cgroup directory and the cgroups below it; none when it is gone.</summary>
    protected static IReadOnlyList<int> ProcessesBelow(string directory)
    {
        var pids = new List<int>();
        void Walk(string dir)
        {
            if (!Directory.Exists(dir))
                return;
            foreach (var line in File.ReadLines(Path.Combine(dir, "cgroup.procs")))
                if (int.TryParse(line, out var pid))
                    pids.Add(pid);
            foreach (var child in Directory.EnumerateDirectories(dir))
                Walk(child);
        }
        Walk(directory);
        return pids;
    }

    private static CgroupHierarchy Probe() =>
        File.Exists(Path.Combine(Root, "cgroup.controllers")) ? new CgroupV2Hierarchy() : new CgroupV1Hierarchy(CgroupV1Hierarchy.FindMountPoints());
}
