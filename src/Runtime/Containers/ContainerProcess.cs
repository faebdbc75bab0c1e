namespace Container.Runtime.Containers;

/// <summary>A process in a container (docker top), seen from the host and from inside.</summary>
public sealed class ContainerProcess
{
    public required string ContainerName { get; init; }

    /// <summary>Its pid on the host.</summary>
    public required int Pid { get; init; }

    /// <summary>Its pid in the container's pid namespace.</summary>
    public required int ContainerPid { get; init; }

    public required int ParentPid { get; init; }

    public required uint UserId { get; init; }

    public required string State { get; init; }

    public required string Command { get; init; }

    public required TimeSpan CpuTime { get; init; }

    public required DateTimeOffset StartTime { get; init; }

    /// <summary>Resident memory, in bytes.</summary>
    public required long MemoryRss { get; init; }
}

/// <summary>One sample of a container's resource use (docker stats).</summary>
public sealed class ContainerStats
{
    public required string Id { get; init; }

    public string ShortId => Ids.Short(Id);

    public required string Name { get; init; }

    public required DateTimeOffset SampledAt { get; init; }

    /// <summary>CPU use, 100 for one whole CPU: since start for a single sample, since the last one in a stream.</summary>
    public required double CpuPercent { get; init; }

    public required TimeSpan CpuTime { get; init; }

    /// <summary>Memory in use, without the page cache that can be reclaimed (as docker counts it).</summary>
    public required long MemoryUsage { get; init; }

    /// <summary>The memory limit, or the host's memory when there is none.</summary>
    public required long MemoryLimit { get; init; }

    public double MemoryPercent => MemoryLimit > 0 ? 100.0 * MemoryUsage / MemoryLimit : 0;

    public required long Pids { get; init; }

    public required long BlockRead { get; init; }

    public required long BlockWrite { get; init; }

    public required long NetReceived { get; init; }

    public required long NetSent { get; init; }
}
