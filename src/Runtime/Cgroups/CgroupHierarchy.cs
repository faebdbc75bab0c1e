namespace Container.Runtime.Cgroups;

/// <summary>
/// Where a controller's files are on this host: one tree on cgroup v2, a mount per
/// controller (or per group of them) on v1, found in /proc/self/mountinfo once. The same
/// host probing the native core does, in the engine's own language, for the files the
/// engine reads itself (status, stats, limits).
/// </summary>
public sealed class CgroupHierarchy
{
    public const string Root = "/sys/fs/cgroup";

    private static readonly Lazy<CgroupHierarchy> Current = new(Probe);
    private readonly Dictionary<string, string> v1MountPoints;

    private CgroupHierarchy(bool unified, Dictionary<string, string> v1MountPoints)
    {
        IsUnified = unified;
        this.v1MountPoints = v1MountPoints;
    }

    public static CgroupHierarchy Host => Current.Value;

    public bool IsUnified { get; }

    /// <summary>The directory holding controller's files for the cgroup at path, or null when that controller is not mounted.</summary>
    public string? Directory(string controller, string path)
    {
        if (IsUnified)
            return Root + path;
        return v1MountPoints.TryGetValue(controller, out var mountPoint) ? mountPoint + path : null;
    }

    /// <summary>Of a limit's files (v1's "memory/memory.swappiness", v2's "memory.max"), the one this host shows it in; null where it has none.</summary>
    public string? LimitFile(string v1File, string? v2File) => IsUnified ? v2File : v1File;

    /// <summary>A file's content, trimmed; null when it (or its controller) is not there.</summary>
    public string? Read(string controller, string path, string file)
    {
        var dir = Directory(controller, path);
        return dir == null ? null : Linux.SmallFile.ReadText(System.IO.Path.Combine(dir, file))?.Trim();
    }

    /// <summary>A flat "key value" file (memory.stat, cpu.stat) as a map.</summary>
    public Dictionary<string, long> ReadKeyed(string controller, string path, string file)
    {
        var values = new Dictionary<string, long>();
        foreach (var line in (Read(controller, path, file) ?? "").Split('\n'))
        {
            var parts = line.Split(' ', 2);
            if (parts.Length == 2 && long.TryParse(parts[1], out var value))
                values[parts[0]] = value;
        }
        return values;
    }

    /// <summary>Whether block IO can be weighed: v1 needs a blkio.weight file (CFQ or BFQ), v2 the io controller.</summary>
    public bool HasBlockIoWeight => IsUnified
        ? ControllerAvailable("io")
        : Directory("blkio", "") is { } blkio && (File.Exists(blkio + "/blkio.weight") || File.Exists(blkio + "/blkio.bfq.weight"));

    /// <summary>Whether memory plus swap can be limited: v1 needs swap accounting, v2 the memory controller.</summary>
    public bool HasSwapLimit => IsUnified
        ? ControllerAvailable("memory")
        : Directory("memory", "") is { } memory && File.Exists(memory + "/memory.memsw.limit_in_bytes");

    private static bool ControllerAvailable(string controller) =>
        File.ReadAllText(System.IO.Path.Combine(Root, "cgroup.controllers")).Split(' ', '\n').Contains(controller);

    public bool IsFrozen(string path) =>
        IsUnified ? Read("", path, "cgroup.freeze") == "1" : Read("freezer", path, "freezer.state") is "FROZEN";

    /// <summary>
    /// Begins, in the background, the wait the kernel puts before a cgroup migration: the
    /// writer of cgroup.procs waits for an RCU grace period (5-20 ms here) unless another
    /// migration took that lock within the last one. Called as a start begins, it runs beside
    /// the mount and the monitor's spawn, and the runtime's move of the container's init into
    /// its cgroup then follows at once. The move itself is of this process into the cgroup it
    /// is already in: it changes nothing, and failing is harmless.
    /// </summary>
    public void BeginMigration()
    {
        // all of it off the caller's thread, finding the file included
        ThreadPool.UnsafeQueueUserWorkItem(_ =>
        {
            try
            {
                if (OwnProcsFile() is not { } procs)
                    return;
                // "0" is the writer itself; FileShare.ReadWrite keeps .NET from taking a lock
                using var file = new FileStream(procs, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1);
                file.Write("0"u8);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // a read-only cgroupfs (in a container), a cgroup that went away: no head start
            }
        }, null);
    }

    /// <summary>cgroup.procs of this process's own cgroup, in the unified tree or in any v1 hierarchy mounted here.</summary>
    private string? OwnProcsFile()
    {
        foreach (var line in File.ReadLines("/proc/self/cgroup"))
        {
            // id:controllers:path
            var fields = line.Split(':', 3);
            if (fields.Length < 3)
                continue;
            var dir = IsUnified
                ? fields[1] == "" ? Root + fields[2] : null
                : fields[1].Split(',').Select(c => v1MountPoints.GetValueOrDefault(c)).FirstOrDefault(m => m != null) is { } mount ? mount + fields[2] : null;
            if (dir != null)
                return System.IO.Path.Combine(dir, "cgroup.procs");
        }
        return null;
    }

    private static CgroupHierarchy Probe()
    {
        if (File.Exists(System.IO.Path.Combine(Root, "cgroup.controllers")))
            return new CgroupHierarchy(true, []);
        var mountPoints = new Dictionary<string, string>();
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            var separator = line.IndexOf(" - ", StringComparison.Ordinal);
            if (separator < 0)
                continue;
            var after = line[(separator + 3)..].Split(' ');
            if (after.Length < 3 || after[0] != "cgroup")
                continue;
            var mountPoint = line.Split(' ')[4];
            if (!mountPoint.StartsWith(Root, StringComparison.Ordinal))
                continue;
            foreach (var option in after[2].Split(','))
                mountPoints.TryAdd(option, mountPoint);
        }
        return new CgroupHierarchy(false, mountPoints);
    }
}
