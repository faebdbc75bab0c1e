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
