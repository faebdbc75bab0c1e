namespace Container.Runtime.Containers;

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
