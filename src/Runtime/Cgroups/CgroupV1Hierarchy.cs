namespace Container.Runtime.Cgroups;

/// <summary>cgroup v1: a hierarchy mounted per controller (or per group of them), found in /proc/self/mountinfo.</summary>
internal sealed class CgroupV1Hierarchy(IReadOnlyDictionary<string, string> mountPoints) : CgroupHierarchy
{
    /// <summary>The controllers whose files the engine reads.</summary>
    private static readonly string[] ReadControllers = ["pids", "memory", "cpuacct", "blkio", "freezer"];

    public override bool HasBlockIoWeight =>
        Directory("blkio", "") is { } blkio && (File.Exists(blkio + "/blkio.weight") || File.Exists(blkio + "/blkio.bfq.weight"));

    public override bool HasSwapLimit => Directory("memory", "") is { } memory && File.Exists(memory + "/memory.memsw.limit_in_bytes");

    public override bool Exists(string path) =>
        ReadControllers.Any(controller => Directory(controller, path) is { } dir && System.IO.Directory.Exists(dir));

    public override bool IsFrozen(string path) => Read(Directory("freezer", path), "freezer.state") is "FROZEN";

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
