using Container.Runtime;
using Container.Runtime.Cgroups;
using Container.Runtime.Containers;
using Container.Runtime.Errors;
using Container.Runtime.Linux;
using Container.Runtime.Oci;
using Container.Runtime.Monitor;
using Container.Runtime.Networks;
using Container.Runtime.Storage;

namespace Container.Tests.Fixtures;

/// <summary>
/// A host of fakes for the failure paths no kernel gives on demand: mounts that are only
/// remembered, cgroups and a process table the test sets, a runtime any of whose commands can
/// be made to fail, and a monitor that records a run as the real one does (its lock, run.json,
/// exit.json) without starting anything. Nothing here needs root.
/// </summary>
internal sealed class FakeHost
{
    public FakeHost()
    {
        Runtime = new FakeRuntime(this);
        Monitor = new FakeMonitor(this);
    }

    public FakeMounts Mounts { get; } = new();

    public FakeCgroups Cgroups { get; } = new();

    public FakeProcessTable Processes { get; } = new();

    public FakeRuntime Runtime { get; }

    public FakeMonitor Monitor { get; }

    public FakeNetworkDriver Network { get; } = new();

    public HostSeams Seams => new(Cgroups, Processes, Mounts, Runtime, Monitor, Network, IsRoot: true);
}

/// <summary>Remembers which containers' networks are set up, as the real driver would leave them.</summary>
internal sealed class FakeNetworkDriver : INetworkDriver
{
    private readonly Dictionary<string, NetworkSetup> setUp = [];

    /// <summary>What the next setup throws instead of setting up.</summary>
    public Exception? NextSetupFails { get; set; }

    public IReadOnlyCollection<NetworkSetup> SetUp
    {
        get
        {
            lock (setUp)
                return [.. setUp.Values];
        }
    }

    public void Setup(NetworkSetup setup)
    {
        var fails = NextSetupFails;
        NextSetupFails = null;
        if (fails != null)
            throw fails;
        lock (setUp)
            setUp[setup.ContainerId] = setup;
    }

    public void Teardown(NetworkSetup setup)
    {
        lock (setUp)
            setUp.Remove(setup.ContainerId);
    }

    public void Attach(NetworkSetup setup, NetworkAttachment attachment)
    {
        lock (setUp)
            setUp[setup.ContainerId] = setup;
    }

    public void Detach(NetworkSetup setup, NetworkAttachment attachment)
    {
        lock (setUp)
            setUp[setup.ContainerId] = setup;
    }

    public bool Repair(NetworkSetup setup)
    {
        lock (setUp)
            return setUp.ContainsKey(setup.ContainerId);
    }

    public IPortFacts Facts(NetworkSetup setup, int containerPid) => throw new NotSupportedException("no kernel to probe: the Model tests give their facts");
}

internal sealed class FakeMounts : IMounts
{
    private readonly HashSet<string> mounted = [];

    /// <summary>What the next mount throws instead of mounting.</summary>
    public Exception? NextMountFails { get; set; }

    /// <summary>Called as a mount is made, before it is: a start half-way.</summary>
    public Action<string>? WhileMounting { get; set; }

    public IReadOnlyCollection<string> Mounted
    {
        get
        {
            lock (mounted)
                return [.. mounted];
        }
    }

    public void MountOverlay(string target, IReadOnlyList<string> lowerDirs, string upperDir, string workDir) => Mount(target);

    public void MountReadOnlyOverlay(string target, IReadOnlyList<string> lowerDirs) => Mount(target);

    public void MountFileSystem(string source, string target, string fileSystemType, ulong flags, string? data) => Mount(target);

    private void Mount(string target)
    {
        WhileMounting?.Invoke(target);
        if (NextMountFails is { } failure)
        {
            NextMountFails = null;
            throw failure;
        }
        lock (mounted)
            if (!mounted.Add(Path.GetFullPath(target)))
                throw new InvalidOperationException($"'{target}' is mounted already");
    }

    public void Unmount(string target)
    {
        lock (mounted)
            mounted.Remove(Path.GetFullPath(target));
    }

    public bool IsMountPoint(string target)
    {
        lock (mounted)
            return mounted.Contains(Path.GetFullPath(target));
    }
}

internal sealed class FakeCgroups : CgroupHierarchy
{
    public HashSet<string> Frozen { get; } = [];

    /// <summary>Cgroups whose files are gone (ENOENT) though their container seems to run.</summary>
    public HashSet<string> Gone { get; } = [];

    public override bool HasBlockIoWeight => true;

    public override bool HasSwapLimit => true;

    /// <summary>Only cgroup v2's files, as a v2 host: the limits v1 alone has are refused.</summary>
    public bool UnifiedOnly { get; init; }

    public override bool Exists(string path) => !Gone.Contains(path);

    public override bool IsFrozen(string path) => Frozen.Contains(path);

    public override string? LimitFile(string v1File, string? v2File) => UnifiedOnly ? v2File : v2File ?? v1File;

    public override ResourceUsage? Usage(string path) => Exists(path) ? new ResourceUsage(1_000_000, 4096, 1 << 30, 1, 0, 0) : null;

    public override IReadOnlyList<int> Processes(string path) => [];
}

internal sealed class FakeProcessTable : IProcessTable
{
    private readonly HashSet<int> alive = [];
    private int lastPid = 1000;

    public string BootId => "fake-boot";

    public int Spawn()
    {
        lock (alive)
        {
            alive.Add(++lastPid);
            return lastPid;
        }
    }

    public void End(int pid)
    {
        lock (alive)
            alive.Remove(pid);
    }

    public bool IsAlive(int pid, ulong startTime)
    {
        lock (alive)
            return alive.Contains(pid);
    }

    public IReadOnlyCollection<int> WithDescendants(IEnumerable<int> pids) => pids.ToHashSet();

    public ContainerProcess? Describe(int pid, string containerName) => null;

    public (long Received, long Sent) NetworkCounters(int pid) => (0, 0);
}

/// <summary>A runtime that answers every command at once, each as the test says: done, or failed with the error it is given.</summary>
internal sealed class FakeRuntime(FakeHost host) : IOciRuntime, IOciRuntimes
{
    private readonly List<string> commands = [];

    /// <summary>Command (kill, pause, resume, update, delete) to the runtime's error line.</summary>
    public Dictionary<string, string> Failures { get; } = [];

    /// <summary>What comes of a signal before the runtime answers: by default the container's init dies of it.</summary>
    public Action<string, string>? OnKill { get; set; }

    public IReadOnlyList<string> Commands
    {
        get
        {
            lock (commands)
                return [.. commands];
        }
    }

    public string Name => "fake-runtime";

    public string Path => "/nonexistent/fake-runtime";

    public string Root => "/nonexistent/fake-runtime-root";

    public IOciRuntime Resolve(string? name) => this;

    public RuntimeOutcome Kill(string id, string signal, bool all)
    {
        (OnKill ?? ((killed, _) => host.Monitor.Exit(killed, 137)))(id, signal);
        return Answer("kill", id);
    }

    public RuntimeOutcome Pause(string id) => Answer("pause", id, () => host.Cgroups.Frozen.Add(BundleBuilder.CgroupPath(id)));

    public RuntimeOutcome Resume(string id) => Answer("resume", id, () => host.Cgroups.Frozen.Remove(BundleBuilder.CgroupPath(id)));

    public RuntimeOutcome Update(string id, string resourcesFile) => Answer("update", id);

    public RuntimeOutcome Delete(string id) => Answer("delete", id);

    public System.Diagnostics.Process Exec(string id, string processFile, string logFile) => throw new NotSupportedException();

    public System.Diagnostics.Process ExecOnTerminal(string id, string processFile, string consoleSocket) => throw new NotSupportedException();

    private RuntimeOutcome Answer(string command, string id, Action? done = null)
    {
        lock (commands)
            commands.Add($"{command} {id}");
        var failure = Failures.GetValueOrDefault(command);
        if (failure == null)
            done?.Invoke();
        return new RuntimeOutcome(Name, command, failure);
    }
}

/// <summary>
/// A monitor that "runs" the container as the real one records it: it holds monitor.lock, writes
/// run.json before it answers, and at the container's end writes exit.json, unmounts the rootfs
/// and lets go. The test may make it fail instead, or hold it before it answers.
/// </summary>
internal sealed class FakeMonitor(FakeHost host) : IContainerMonitor
{
    private readonly Dictionary<string, (ContainerMonitor.Options Options, int Pid, int MonitorPid, FileLock Lock)> runs = [];

    /// <summary>What the next start throws instead of running the container.</summary>
    public Exception? NextStartFails { get; set; }

    /// <summary>Called once the monitor holds the container, before it records the run: a start half-way.</summary>
    public Action<string>? WhileStarting { get; set; }

    public int Starts { get; private set; }

    public int Start(ContainerMonitor.Options options, string reference, CancellationToken cancellation)
    {
        Starts++;
        if (NextStartFails is { } failure)
        {
            NextStartFails = null;
            throw failure;
        }
        var monitorLock = FileLock.Acquire(Path.Combine(options.BundleDir, "monitor.lock"));
        WhileStarting?.Invoke(options.Id);
        var pid = host.Processes.Spawn();
        var monitorPid = host.Processes.Spawn();
        Json.WriteFile(Path.Combine(options.BundleDir, "run.json"), new RunRecord
        {
            BootId = host.Processes.BootId,
            Pid = pid,
            PidStartTime = 1,
            MonitorPid = monitorPid,
            MonitorStartTime = 1,
            StartedAt = DateTimeOffset.UtcNow,
        });
        lock (runs)
            runs[options.Id] = (options, pid, monitorPid, monitorLock);
        return pid;
    }

    /// <summary>The container's init ends, and its monitor has not yet recorded it (Exit does that).</summary>
    public void InitDies(string id)
    {
        lock (runs)
            host.Processes.End(runs[id].Pid);
    }

    /// <summary>The monitor is killed (SIGKILL): its process and its lock gone, nothing recorded, nothing cleaned.</summary>
    public void Abandon(string id)
    {
        (ContainerMonitor.Options Options, int Pid, int MonitorPid, FileLock Lock) run;
        lock (runs)
            if (!runs.Remove(id, out run))
                return;
        host.Processes.End(run.MonitorPid);
        run.Lock.Dispose();
    }

    /// <summary>The container's init ends: what its monitor does then.</summary>
    public void Exit(string id, int exitCode)
    {
        (ContainerMonitor.Options Options, int Pid, int MonitorPid, FileLock Lock) run;
        lock (runs)
            if (!runs.Remove(id, out run))
                return;
        host.Processes.End(run.Pid);
        host.Processes.End(run.MonitorPid);
        foreach (var mount in run.Options.Unmounts)
            host.Mounts.Unmount(mount);
        Json.WriteFile(Path.Combine(run.Options.BundleDir, "exit.json"), new ExitRecord { ExitCode = exitCode, FinishedAt = DateTimeOffset.UtcNow });
        run.Lock.Dispose();
    }
}

/// <summary>A private store with a tiny image, whose engine runs on a host of fakes (or on the real one's parts the test keeps).</summary>
internal sealed class FakeHostStore : IDisposable
{
    public const string Image = "tiny:test";

    public FakeHostStore(Func<StorePaths, FakeHost, HostSeams>? seams = null)
    {
        Root = Directory.CreateTempSubdirectory("container-fake-").FullName;
        Paths = new StorePaths(Root, Path.Combine(Root, "run"));
        new StoreConfig { DefaultNetwork = "none" }.Write(Paths);
        Engine = new ContainerEngine(Paths, seams?.Invoke(Paths, Host) ?? Host.Seams);
        var rootfs = Path.Combine(Root, "tiny-rootfs");
        Directory.CreateDirectory(Path.Combine(rootfs, "etc"));
        File.WriteAllText(Path.Combine(rootfs, "etc", "hostname"), "tiny\n");
        Engine.Importer.Import(rootfs, Container.Runtime.Images.ImageReference.Parse(Image), Container.Runtime.Images.ImageDefaults.From(["true"], null, null));
    }

    public string Root { get; }

    public StorePaths Paths { get; }

    public FakeHost Host { get; } = new();

    public ContainerEngine Engine { get; }

    public ContainerService Containers => Engine.Containers;

    public ContainerInfo Create(string name, bool autoRemove = false) =>
        Containers.Create(new ContainerSpec { Image = Image, Name = name, Command = ["true"], AutoRemove = autoRemove });

    public string FileOf(string name, string file) => Path.Combine(Containers.Get(name).Path, file);

    public void Dispose()
    {
        Host.Runtime.Failures.Clear();
        Host.Runtime.OnKill = null;
        foreach (var container in Containers.List())
            Containers.Remove(container.Id, force: true);
        Directory.Delete(Root, recursive: true);
    }
}
