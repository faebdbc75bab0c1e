namespace Container.Runtime.Cgroups;

/// <summary>Raw resource counters of a cgroup, and of the network namespace of a process in it.</summary>
internal sealed record ResourceUsage(long CpuNanoseconds, long MemoryUsage, long MemoryLimit, long Pids, long BlockRead, long BlockWrite,
    long NetReceived, long NetSent)
{
    private static readonly Lazy<long> HostMemory = new(() =>
    {
        foreach (var line in File.ReadLines("/proc/meminfo"))
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        return 0;
    });

    /// <summary>The same counters docker stats reads, on v1 or v2.</summary>
    public static ResourceUsage Read(CgroupHierarchy cgroups, string path, int pid)
    {
        long cpu, usage, limit, pids, read = 0, write = 0;
        if (cgroups.IsUnified)
        {
            cpu = cgroups.ReadKeyed("", path, "cpu.stat").GetValueOrDefault("usage_usec") * 1000;
            var memory = cgroups.ReadKeyed("", path, "memory.stat");
            usage = Number(cgroups.Read("", path, "memory.current")) - memory.GetValueOrDefault("inactive_file");
            limit = Number(cgroups.Read("", path, "memory.max"));
            pids = Number(cgroups.Read("", path, "pids.current"));
            foreach (var line in (cgroups.Read("", path, "io.stat") ?? "").Split('\n'))
                foreach (var field in line.Split(' '))
                {
                    if (field.StartsWith("rbytes=", StringComparison.Ordinal))
                        read += long.Parse(field[7..]);
                    else if (field.StartsWith("wbytes=", StringComparison.Ordinal))
                        write += long.Parse(field[7..]);
                }
        }
        else
        {
            cpu = Number(cgroups.Read("cpuacct", path, "cpuacct.usage"));
            var memory = cgroups.ReadKeyed("memory", path, "memory.stat");
            usage = Number(cgroups.Read("memory", path, "memory.usage_in_bytes")) - memory.GetValueOrDefault("total_inactive_file");
            // the limit that holds, its own or a parent's: one file fewer per container than memory.limit_in_bytes
            limit = memory.GetValueOrDefault("hierarchical_memory_limit");
            pids = Number(cgroups.Read("pids", path, "pids.current"));
            foreach (var line in (cgroups.Read("blkio", path, "blkio.throttle.io_service_bytes_recursive") ?? "").Split('\n'))
            {
                var parts = line.Split(' ');
                if (parts.Length == 3 && parts[1] == "Read")
                    read += long.Parse(parts[2]);
                else if (parts.Length == 3 && parts[1] == "Write")
                    write += long.Parse(parts[2]);
            }
        }
        // no limit reads as "max" on v2 and as a huge number on v1: the host's memory is the limit then
        if (limit <= 0 || limit > HostMemory.Value)
            limit = HostMemory.Value;
        var (received, sent) = Network(pid);
        return new ResourceUsage(cpu, Math.Max(usage, 0), limit, pids, read, write, received, sent);
    }

    private static long Number(string? text) => long.TryParse(text, out var n) ? n : 0;

    /// <summary>Bytes received and sent on every interface of the process's network namespace but lo.</summary>
    private static (long Received, long Sent) Network(int pid)
    {
        long received = 0, sent = 0;
        // null: the process ended meanwhile
        foreach (var line in (Linux.SmallFile.ReadText($"/proc/{pid}/net/dev") ?? "").Split('\n').Skip(2))
        {
            var colon = line.IndexOf(':');
            if (colon < 0 || line[..colon].Trim() == "lo")
                continue;
            var fields = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            received += long.Parse(fields[0]);
            sent += long.Parse(fields[8]);
        }
        return (received, sent);
    }
}
