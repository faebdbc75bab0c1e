namespace Container.Runtime.Linux;

/// <summary>
/// What the engine asks the kernel of processes: whether one lives (by pid and start time, and
/// in this boot), which descend from which, what a process in a container is. The engine gets
/// it from ContainerEngine, so a test can give it another.
/// </summary>
internal interface IProcessTable
{
    /// <summary>The kernel's boot id: a run from another boot has ended, whatever its pids say now.</summary>
    string BootId { get; }

    /// <summary>Whether the process lives and is the one meant (startTime 0: any process with that pid).</summary>
    bool IsAlive(int pid, ulong startTime);

    /// <summary>The pids and all their descendants, each once.</summary>
    IReadOnlyCollection<int> WithDescendants(IEnumerable<int> pids);

    /// <summary>What the kernel says of a process in a container, or null when it is gone.</summary>
    Containers.ContainerProcess? Describe(int pid, string containerName);

    /// <summary>Bytes received and sent on every interface of the process's network namespace but lo (none when it is gone).</summary>
    (long Received, long Sent) NetworkCounters(int pid);
}
