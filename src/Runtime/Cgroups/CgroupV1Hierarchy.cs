namespace Container.Runtime.Cgroups;

/// <summary>cgroup v1: a hierarchy mounted per controller (or per group of them), found as the native core finds them.</summary>
internal sealed class CgroupV1Hierarchy(IReadOnlyDictionary<string, string> mountPoints) : CgroupHierarchy
{
    /// <summary>statfs's f_type of a cgroup v1 hierarchy.</summary>
    private const long CgroupMagic = 0x27e0eb;

    /// <summary>
    /// Each controller's (and name=...'s) hierarchy: where systemd, and every distribution,
    /// mounts them when that is where they are, else as /proc/self/mountinfo says.
    /// </summary>
    public static IReadOnlyDictionary<string, string> FindMountPoints() => DefaultMountPoints() ?? MountTableMountPoints();

    /// <summary>
    /// Each hierarchy /proc/self/cgroup lists at &lt;root&gt;/&lt;its controllers&gt; (name=systemd at
    /// &lt;root&gt;/systemd), under a root that is no hierarchy itself; null for another layout.
    /// No mountinfo read: on a host running hundreds of containers it is hundreds of long
    /// overlay lines, which the kernel formats at each read (the native core's rule too).
    /// </summary>
    public static IReadOnlyDictionary<string, string>? DefaultMountPoints()
    {
        if (Linux.FileStatus.FileSystemType(Root) == CgroupMagic)
            return null;
        var mountPoints = new Dictionary<string, string>();
        foreach (var line in File.ReadLines("/proc/self/cgroup"))
        {
            // id:controllers:path, the unified hierarchy's controllers empty
            var fields = line.Split(':', 3);
            if (fields.Length != 3 || fields[1].Length == 0)
                continue;
            var mountPoint = $"{Root}/{(fields[1].StartsWith("name=", StringComparison.Ordinal) ? fields[1]["name=".Length..] : fields[1])}";
            if (Linux.FileStatus.FileSystemType(mountPoint) != CgroupMagic)
                return null;
            foreach (var controller in fields[1].Split(','))
                mountPoints.TryAdd(controller, mountPoint);
        }
        return mountPoints.Count > 0 ? mountPoints : null;
    }

    /// <summary>Each hierarchy mounted under the root, as /proc/self/mountinfo lists them.</summary>
    public static IReadOnlyDictionary<string, string> MountTableMountPoints()
    {
        var mountPoints = new Dictionary<string, string>();
        foreach (var mount in Linux.MountTable.Read())
            if (mount.FileSystemType == "cgroup" && mount.MountPoint.StartsWith(Root, StringComparison.Ordinal))
                foreach (var option in mount.SuperOptions.Split(','))
                    mountPoints.TryAdd(option, mount.MountPoint);
        return mountPoints;
    }

    /// <summary>The controllers whose files the engine reads.</summary>
    private static readonly string[] ReadControllers = ["pids", "memory", "cpuacct", "blkio", "freezer"];

    public override bool HasBlockIoWeight =>
        Directory("blkio", "") is { } blkio && (File.Exists(blkio + "/blkio.weight") || File.Exists(blkio + "/blkio.bfq.weight"));

    public override bool HasSwapLimit => Directory("memory", "") is { } memory && File.Exists(memory + "/memory.memsw.limit_in_bytes");

    public override bool Exists(string path) =>
        ReadControllers.Any(controller => Directory(controller, path) is { } dir && System.IO.Directory.Exists(dir));

    // FREEZING is a freeze asked for and not yet reached (a loaded host shows it for a while after pause returns):
    // only a thaw leads out of it, so it is paused as v2's cgroup.freeze, the state asked for, is
    public override bool IsFrozen(string path) => Read(Directory("freezer", path), "freezer.state") is "FROZEN" or "FREEZING";

    public override string? LimitFile(string v1File, string? v2File) => v1File;

    public override ResourceUsage? Usage(string path)
    {
        var memoryDir = Directory("memory", path);
        var memory = ReadKeyed(memoryDir, "memory.stat");
        var usage = Number(Read(memoryDir, "memory.usage_in_bytes")) - memory.GetValueOrDefault("total_inactive_file");
        // the limit that holds, its own or a parent's: one file fewer per container than memory.limit_in_bytes
        var limit = memory.GetValueOrDefault("hierarchical_memory_limit");
        var pids = Number(Read(Directory("pids", path), "pids.current"));
        long read = 0, write = 0;
        foreach (var line in (Read(Directory("blkio", path), "blkio.throttle.io_service_bytes_recursive") ?? "").Split('\n'))
        {
            var parts = line.Split(' ');
            if (parts.Length == 3 && parts[1] == "Read")
                read += long.Parse(parts[2]);
            else if (parts.Length == 3 && parts[1] == "Write")
                write += long.Parse(parts[2]);
        }
        // read last: what was read before is the cgroup's if it is there still (asked of the
        // others when cpuacct is not mounted)
        var cpuacct = Directory("cpuacct", path);
        var cpu = Read(cpuacct, "cpuacct.usage");
        if (cpuacct == null ? !Exists(path) : cpu == null)
            return null;
        return new ResourceUsage(Number(cpu), Math.Max(usage, 0), LimitOrHostMemory(limit), pids, read, write);
    }

    public override IReadOnlyList<int> Processes(string path) =>
        ProcessesBelow(Directory("pids", path)
                       ?? throw Errors.Errors.NotInstalled("the pids cgroup controller", "It must be mounted to list a container's processes."));

    /// <summary>The directory holding controller's files for the cgroup at path, or null when that controller is not mounted.</summary>
    private string? Directory(string controller, string path) => mountPoints.TryGetValue(controller, out var mountPoint) ? mountPoint + path : null;
}
