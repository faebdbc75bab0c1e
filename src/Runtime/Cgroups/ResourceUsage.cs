namespace Container.Runtime.Cgroups;

/// <summary>Raw resource counters of a cgroup, as docker stats reads them on v1 or v2.</summary>
internal sealed record ResourceUsage(long CpuNanoseconds, long MemoryUsage, long MemoryLimit, long Pids, long BlockRead, long BlockWrite);
