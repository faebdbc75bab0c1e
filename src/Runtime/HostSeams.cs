using Container.Runtime.Cgroups;
using Container.Runtime.Linux;
using Container.Runtime.Monitor;
using Container.Runtime.Networks;
using Container.Runtime.Oci;
using Container.Runtime.Storage;

namespace Container.Runtime;

/// <summary>
/// The engine's ways into the host: the cgroups, the process table, mounts, the OCI runtimes,
/// the containers' monitor and the network driver, and whether this process is root. The engine asks them for
/// every kernel fact and act, so a test can give it others, and make any of them fail.
/// </summary>
internal sealed record HostSeams(CgroupHierarchy Cgroups, IProcessTable Processes, IMounts Mounts, IOciRuntimes Runtimes, IContainerMonitor Monitor, INetworkDriver Network, bool IsRoot)
{
    /// <summary>This host's, the runtimes' state kept under the store's run root.</summary>
    public static HostSeams Of(StorePaths paths) =>
        new(CgroupHierarchy.Host, ProcessTable.Host, Linux.Mounts.Host, new OciRuntimes(paths), new ContainerMonitor(), new NetworkDriver(), Libc.Geteuid() == 0);

    /// <summary>The runtime the container was made to run under, bound to its root.</summary>
    public IOciRuntime RuntimeOf(Containers.ContainerRecord record) => Runtimes.Resolve(record.Runtime);

    /// <summary>Mounting and running containers needs root: asked before anything is changed.</summary>
    public void RequireRoot()
    {
        if (!IsRoot)
            throw Errors.Errors.RootRequired();
    }
}
