using Container.Runtime.Images;
using Container.Runtime.Logs;
using Container.Runtime.Networks;
using Container.Runtime.Storage;
using Container.Runtime.Terminals;

namespace Container.Runtime.Containers;

/// <summary>
/// Containers from creation to removal: the engine's one door to them, each call handed to the
/// part that owns its concern (observe, lifecycle, run, exec, files, resources). Daemonless:
/// every call works from the files on disk, the kernel, and the container's monitor; every
/// change holds the container's lock and asks the state machine first.
/// </summary>
public sealed class ContainerService
{
    private readonly ContainerObserver observer;
    private readonly ContainerLifecycle lifecycle;
    private readonly ContainerRunner runner;
    private readonly ContainerExec exec;
    private readonly ContainerFiles files;
    private readonly ContainerResources resources;
    private readonly ContainerConnections connections;
    private readonly ContainerNetworking networking;

    internal ContainerService(StorePaths paths, ImageStore images, HostSeams host)
    {
        var store = new ContainerStore(paths);
        Networks = new NetworkService(paths, id => store.TryRead(id)?.Name);
        networking = new ContainerNetworking(paths, Networks, host.Network);
        observer = new ContainerObserver(store, host);
        Volumes = new Volumes.VolumeService(paths, () => store.Ids().Select(store.TryRead).OfType<ContainerRecord>(), host.Mounts);
        var mounts = new ContainerMounts(Volumes, host.Mounts);
        lifecycle = new ContainerLifecycle(store, images, host, observer, networking, mounts, Volumes);
        runner = new ContainerRunner(store, lifecycle, observer);
        exec = new ContainerExec(store, images, host, observer);
        files = new ContainerFiles(store, images, host, observer, mounts);
        resources = new ContainerResources(store, host, observer);
        connections = new ContainerConnections(store, observer, new NetworkConnections(paths, Networks, host.Network, networking));
    }

    /// <summary>The networks containers are on, and their address leases.</summary>
    internal NetworkService Networks { get; }

    /// <summary>The named volumes containers mount.</summary>
    internal Volumes.VolumeService Volumes { get; }

    // Observe: what containers there are, and how each is now.

    /// <inheritdoc cref="ContainerObserver.Get"/>
    public ContainerInfo Get(string reference) => observer.Get(reference);

    /// <inheritdoc cref="ContainerObserver.List"/>
    public IReadOnlyList<ContainerInfo> List() => observer.List();

    /// <inheritdoc cref="ContainerObserver.Select"/>
    public IReadOnlyList<string> Select(string referenceOrPattern) => observer.Select(referenceOrPattern);

    /// <inheritdoc cref="ContainerObserver.Resolve"/>
    public string Resolve(string reference) => observer.Resolve(reference);

    /// <inheritdoc cref="ContainerObserver.ReadLog"/>
    public IEnumerable<LogEntry> ReadLog(string reference, LogQuery? query = null) => observer.ReadLog(reference, query);

    /// <inheritdoc cref="ContainerObserver.FollowLog"/>
    public IEnumerable<LogEntry> FollowLog(string reference, LogQuery? query, CancellationToken cancellation, Action? caughtUp = null) =>
        observer.FollowLog(reference, query, cancellation, caughtUp);

    internal IEnumerable<ImageUse> ImageUses() => observer.ImageUses();

    /// <inheritdoc cref="ContainerObserver.StopWasRequested"/>
    internal bool StopWasRequested(string id) => observer.StopWasRequested(id);

    /// <summary>
    /// The container's published ports (docker port), with the host ports chosen at its start;
    /// port (80, 80/udp) keeps only those of that container port, and one not published is PortNotPublished.
    /// </summary>
    public IReadOnlyList<PortMapping> Ports(string reference, string? port = null)
    {
        var ports = Get(reference).Ports;
        if (port == null)
            return ports;
        var (number, protocol) = PortMapping.ParseContainerPort(port);
        var matching = ports.Where(p => p.ContainerPort == number && p.Protocol == protocol).ToList();
        return matching.Count > 0 ? matching : throw Errors.Errors.PortNotPublished(reference, $"{number}/{protocol}");
    }

    /// <summary>
    /// Test-ContainerPort: whether each published port of the running container (hostPort's, of
    /// protocol, if given) is reached from the host's loopback, its address and another container, and what stands in the way.
    /// </summary>
    public IReadOnlyList<PortReachability> TestPorts(string reference, int? hostPort = null, string? protocol = null)
    {
        var container = Get(reference);
        if (!ContainerStateMachine.IsLive(container.Status))
            throw Errors.Errors.ContainerNotRunning(container.Name, "test the ports of");
        return networking.TestPorts(container.Path, container.Name, container.Pid, hostPort, protocol);
    }

    /// <summary>The running containers with a network of ours set up: those whose rules Repair-ContainerNetwork applies again.</summary>
    public IReadOnlyList<ContainerInfo> WithNetworkSetUp() =>
        List().Where(c => ContainerStateMachine.IsLive(c.Status) && c.Networks.Count > 0).ToList();

    /// <summary>
    /// Applies the running container's firewall rules again from its recorded setup (after the
    /// host's firewall was reloaded); null when it has no network of ours set up (any more).
    /// </summary>
    public NetworkRepair? RepairNetwork(string reference)
    {
        var container = Get(reference);
        return networking.Repair(container.Path) is { } setup
            ? new NetworkRepair(container.Name, container.Id, setup.Attachments.Select(a => a.Network).ToList(), setup.Ports)
            : null;
    }

    // Lifecycle: from creation to removal.

    /// <inheritdoc cref="ContainerLifecycle.Create"/>
    public ContainerInfo Create(ContainerSpec spec) => lifecycle.Create(spec);

    /// <inheritdoc cref="ContainerLifecycle.Start"/>
    public ContainerInfo Start(string reference, CancellationToken cancellation = default, Action<string>? warn = null) =>
        lifecycle.Start(reference, cancellation, warn);

    /// <inheritdoc cref="ContainerLifecycle.Stop"/>
    public ContainerInfo Stop(string reference, TimeSpan? timeout = null, bool force = false) => lifecycle.Stop(reference, timeout, force);

    /// <inheritdoc cref="ContainerLifecycle.Kill"/>
    public ContainerInfo Kill(string reference, string signal) => lifecycle.Kill(reference, signal);

    /// <inheritdoc cref="ContainerLifecycle.Restart"/>
    public ContainerInfo Restart(string reference, TimeSpan? timeout = null, CancellationToken cancellation = default) => lifecycle.Restart(reference, timeout, cancellation);

    /// <inheritdoc cref="ContainerLifecycle.Pause"/>
    public ContainerInfo Pause(string reference, bool pause) => lifecycle.Pause(reference, pause);

    /// <inheritdoc cref="ContainerLifecycle.Rename"/>
    public ContainerInfo Rename(string reference, string newName) => lifecycle.Rename(reference, newName);

    /// <inheritdoc cref="ContainerLifecycle.Remove"/>
    public void Remove(string reference, bool force, bool volumes = false) => lifecycle.Remove(reference, force, volumes);

    /// <inheritdoc cref="ContainerLifecycle.Wait"/>
    public ContainerInfo Wait(string reference, TimeSpan? timeout = null, CancellationToken cancellation = default) => lifecycle.Wait(reference, timeout, cancellation);

    // Networks: a container connected and disconnected (docker network connect, disconnect).

    /// <inheritdoc cref="ContainerConnections.Connect"/>
    public ContainerInfo ConnectNetwork(string reference, string network, string? address = null, IReadOnlyList<string>? aliases = null) =>
        connections.Connect(reference, network, address, aliases);

    /// <inheritdoc cref="ContainerConnections.Disconnect"/>
    public ContainerInfo DisconnectNetwork(string reference, string network, bool force = false) => connections.Disconnect(reference, network, force);

    // Run: create and start in one go (docker run).

    /// <inheritdoc cref="ContainerRunner.Run"/>
    public ContainerInfo Run(ContainerSpec spec, bool remove, Action<LogStream, string> onLine, CancellationToken cancellation = default, ProcessInput? input = null) =>
        runner.Run(spec, remove, onLine, cancellation, input);

    /// <inheritdoc cref="ContainerRunner.RunDetached"/>
    public ContainerInfo RunDetached(ContainerSpec spec, CancellationToken cancellation = default) => runner.RunDetached(spec, cancellation);

    /// <inheritdoc cref="ContainerRunner.RunInTerminal"/>
    public TerminalSession RunInTerminal(ContainerSpec spec, bool remove) => runner.RunInTerminal(spec, remove);

    // Exec: processes run in a running container.

    /// <inheritdoc cref="ContainerExec.Exec"/>
    public int Exec(string reference, ExecSpec spec, Action<LogStream, string> onLine, CancellationToken cancellation = default, ProcessInput? input = null) =>
        exec.Exec(reference, spec, onLine, cancellation, input);

    /// <inheritdoc cref="ContainerExec.OpenTerminal"/>
    public TerminalSession OpenTerminal(string reference, ExecSpec spec, int rows, int columns) => exec.OpenTerminal(reference, spec, rows, columns);

    // Files: copied in and out, committed, exported.

    /// <inheritdoc cref="ContainerFiles.Commit"/>
    public ContainerImage Commit(string reference, ImageReference name, CommitOptions? options = null) => files.Commit(reference, name, options);

    /// <summary>The container's writable layer as a layer blob in the image store (a build step's layer).</summary>
    internal Images.Descriptor CommitLayer(string reference, IReadOnlySet<string>? leftOut = null) => files.CommitLayer(reference, leftOut);

    /// <summary>Runs use on the container's root (and the host path it is at), mounted for the while if it is not running.</summary>
    internal void InRoot(string reference, Action<Linux.RootedPath, string> use) => files.InRoot(reference, use);

    /// <inheritdoc cref="ContainerFiles.ExportFilesystem"/>
    public void ExportFilesystem(string reference, string path) => files.ExportFilesystem(reference, path);

    /// <inheritdoc cref="ContainerFiles.Copy"/>
    public void Copy(CopyEndpoint source, CopyEndpoint destination) => files.Copy(source, destination);

    /// <inheritdoc cref="ContainerFiles.CopyToContainer"/>
    public void CopyToContainer(string reference, string hostSource, string containerDestination) => files.CopyToContainer(reference, hostSource, containerDestination);

    /// <inheritdoc cref="ContainerFiles.CopyFromContainer"/>
    public void CopyFromContainer(string reference, string containerSource, string hostDestination) => files.CopyFromContainer(reference, containerSource, hostDestination);

    // Resources: limits, processes, statistics.

    /// <inheritdoc cref="ContainerResources.Limits"/>
    public ContainerLimits Limits(string reference) => resources.Limits(reference);

    /// <inheritdoc cref="ContainerResources.PlanLimits"/>
    public LimitChange PlanLimits(string reference, ResourceLimits change) => resources.PlanLimits(reference, change);

    /// <inheritdoc cref="ContainerResources.ApplyLimits(string, ResourceLimits)"/>
    public ContainerLimits ApplyLimits(string reference, ResourceLimits change) => resources.ApplyLimits(reference, change);

    /// <inheritdoc cref="ContainerResources.ApplyLimits(LimitChange)"/>
    public ContainerLimits ApplyLimits(LimitChange plan) => resources.ApplyLimits(plan);

    /// <inheritdoc cref="ContainerResources.Processes"/>
    public IReadOnlyList<ContainerProcess> Processes(string reference) => resources.Processes(reference);

    /// <inheritdoc cref="ContainerResources.Stats"/>
    public ContainerStats Stats(string reference) => resources.Stats(reference);

    /// <inheritdoc cref="ContainerResources.StatsOfRunning"/>
    public IReadOnlyList<ContainerStats> StatsOfRunning() => resources.StatsOfRunning();

    /// <inheritdoc cref="ContainerResources.StreamStats"/>
    public IEnumerable<IReadOnlyList<ContainerStats>> StreamStats(IReadOnlyList<string>? ids, TimeSpan interval, CancellationToken cancellation) =>
        resources.StreamStats(ids, interval, cancellation);
}
