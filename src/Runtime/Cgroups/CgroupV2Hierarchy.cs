namespace Container.Runtime.Cgroups;

/// <summary>cgroup v2: one tree, every controller's files in the cgroup's one directory.</summary>
internal sealed class CgroupV2Hierarchy : CgroupHierarchy
{
    public override bool HasBlockIoWeight => ControllerAvailable("io");

    public override bool HasSwapLimit => ControllerAvailable("memory");

    public override bool Exists(string path) => Directory.Exists(Root + path);

    public override bool IsFrozen(string path) => Read(Root + path, "cgroup.freeze") == "1";

    public override string? LimitFile(string v1File, string? v2File) => v2File;

    public override ResourceUsage? Usage(string path)
    {
        var dir = Root + path;
        var memory = ReadKeyed(dir, "memory.stat");
        var usage = Number(Read(dir, "memory.current")) - memory.GetValueOrDefault("inactive_file");
        var limit = Number(Read(dir, "memory.max"));
        var pids = Number(Read(dir, "pids.current"));
        long read = 0, write = 0;
        foreach (var line in (Read(dir, "io.stat") ?? "").Split('\n'))
            foreach (var field in line.Split(' '))
            {
                if (field.StartsWith("rbytes=", StringComparison.Ordinal))
                    read += long.Parse(field[7..]);
                else if (field.StartsWith("wbytes=", StringComparison.Ordinal))
                    write += long.Parse(field[7..]);
            }
        // read last, as every cgroup has it: what was read before is the cgroup's if it is there still
        if (Read(dir, "cpu.stat") is not { } cpuStat)
            return null;
        var cpu = Keyed(cpuStat).GetValueOrDefault("usage_usec") * 1000;
        return new ResourceUsage(cpu, Math.Max(usage, 0), LimitOrHostMemory(limit), pids, read, write);
    }

    public override IReadOnlyList<int> Processes(string path) => ProcessesBelow(Root + path);

    private static bool ControllerAvailable(string controller) =>
        File.ReadAllText(Path.Combine(Root, "cgroup.controllers")).Split(' ', '\n').Contains(controller);
}
