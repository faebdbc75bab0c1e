using Container.Runtime.Images;
using Container.Runtime.Oci;
using Container.Runtime.Monitor;
using Container.Runtime.Networks;
using Container.Runtime.Storage;

namespace Container.Runtime.Containers;

/// <summary>
/// Containers from creation to removal: create, start, stop, kill, pause and resume, restart,
/// rename, remove, wait. Every change holds the container's lock and asks the state machine
/// before it acts.
/// </summary>
internal sealed class ContainerLifecycle(ContainerStore store, ImageStore images, HostSeams host, ContainerObserver observer, ContainerNetworking networking, ContainerMounts mounts, Volumes.VolumeService volumes)
{
    /// <summary>Makes the container's record and bundle; nothing runs and nothing is mounted yet.</summary>
    public ContainerInfo Create(ContainerSpec spec)
    {
        spec.Validate(host.Cgroups);
        // the image's layers must not be collected between reading the image and recording the container
        using var hold = images.HoldAgainstCollection();
        var image = images.Get(spec.Image);
        if (spec.Name != null && !ContainerNames.IsValid(spec.Name))
            throw Errors.Errors.InvalidContainerName(spec.Name);
        host.Runtimes.Resolve(spec.Runtime); // fails now, not at start, if it is not there
        var network = networking.Choose(spec, image, RecordOf);
        var id = Ids.New();
        var staged = store.StagedDir(id);
        string? name = null;
        ContainerRecord? record = null;
        // held until the record is in place: no volume it refers to is removed meanwhile
        using var volumesHeld = ContainerMounts.NeedVolumes(spec, image) ? volumes.Lock() : null;
        var madeVolumes = new List<string>();
        try
        {
            // the staging directory exists before the name is claimed: that keeps the claim live (and its lease)
            Directory.CreateDirectory(staged);
            name = ClaimName(spec.Name, id);
            record = ContainerRecordBuilder.Build(id, name, spec, image);
            record.IpcMode = NamespaceModes.Resolve("-Ipc", spec.Ipc, RecordOf);
            record.PidMode = NamespaceModes.Resolve("-Pid", spec.Pid, RecordOf);
            record.Mounts = mounts.Resolve(spec, image, RecordOf, madeVolumes);
            networking.Attach(record, network, spec);
            networking.WriteFiles(staged, record, network);
            foreach (var dir in new[] { ContainerStore.RootfsDir, ContainerStore.UpperDir, ContainerStore.WorkDir })
                Directory.CreateDirectory(Path.Combine(staged, dir));
            UserNamespaceFiles.Prepare(images, record, staged);
            var bundle = BundleBuilder.Build(record, new BundleOptions
            {
                User = UserResolver.Resolve(record.User, ContainerLayers.Lower(images, record)),
                Capabilities = Capabilities.Resolve(spec.CapAdd, spec.CapDrop),
                Privileged = spec.Privileged,
                ReadOnlyRootfs = spec.ReadOnlyRootfs,
                Limits = spec.Limits,
                InitPath = spec.Init ? NativeBinaries.InitPath : null,
                Network = networking.BundleOf(record, network),
                Mounts = mounts.Oci(record.Mounts, store.FileOf(id, ContainerStore.SubpathsDir)),
            });
            // The name's claim, the bundle and the record are put on disk together (AtomicFile.
            // FlushToDisk), before the move that makes the container exist: a crash before
            // it leaves the container in staging, to be cleaned, and its claim stale (taken over
            // by the next claim of the name, whatever of it survived).
            Json.WriteFile(Path.Combine(staged, ContainerStore.BundleConfigFile), bundle, durable: false);
            Json.WriteFile(Path.Combine(staged, ContainerStore.RecordFile), record, durable: false);
            Storage.AtomicFile.FlushToDisk([store.NameFile(name), Path.Combine(staged, ContainerStore.BundleConfigFile), Path.Combine(staged, ContainerStore.RecordFile)]);
            Directory.Move(staged, store.Dir(id));
            return observer.Observe(id, record);
        }
        catch
        {
            if (record != null)
                networking.Release(record);
            if (name != null)
                store.ReleaseName(name, id);
            if (Directory.Exists(staged))
                Directory.Delete(staged, recursive: true);
            foreach (var volume in madeVolumes)
                volumes.RemoveMadeLocked(volume);
            throw;
        }
    }

    private ContainerRecord RecordOf(string reference) => observer.ReadRecord(observer.Resolve(reference), reference);

    private string ClaimName(string? wanted, string id)
    {
        // flushed to disk with the record (Create)
        if (wanted != null)
        {
            store.ClaimName(wanted, id, durable: false);
            return wanted;
        }
        for (var attempt = 0; ; attempt++)
        {
            var name = ContainerNames.Generate();
            try
            {
                store.ClaimName(name, id, durable: false);
                return name;
            }
            catch (Errors.ContainerException e) when (e.ErrorId == "NameInUse" && attempt < 100)
            {
            }
        }
    }

    /// <summary>
    /// Mounts the rootfs and hands the container to a new monitor, which runs it. One that
    /// runs already is left as it is, and warn says so (docker start does nothing either).
    /// With attachSocket, the monitor connects there before the container starts (a run attached).
    /// </summary>
    public ContainerInfo Start(string reference, CancellationToken cancellation = default, Action<string>? warn = null, string? attachSocket = null)
    {
        var id = observer.Resolve(reference);
        using var _ = store.Lock(id);
        var record = observer.ReadRecord(id, reference);
        var observed = observer.ObserveSettled(id, record);
        var status = observed.Status;
        if (status == ContainerStatus.Running)
        {
            warn?.Invoke($"Container '{reference}' is running already: nothing to start.");
            return observed;
        }
        if (!ContainerStateMachine.CanStart(status))
            throw Errors.Errors.InvalidContainerState(reference, "start", status);
        host.RequireRoot();
        var runtime = host.RuntimeOf(record);
        var rootfs = store.FileOf(id, ContainerStore.RootfsDir);
        using (store.HoldStarting(id))
        {
            // what an earlier run may have left (a crash, a reboot)
            ReclaimRun(id, record);
            foreach (var stale in new[] { ContainerStore.RunFile, ContainerStore.ExitFile, ContainerStore.HealthFile, ContainerStore.StopRequestedFile })
                File.Delete(store.FileOf(id, stale));

            // there unless something took it from the store: made again rather than failing the start
            ContainerLayers.EnsureShifted(images, record);
            // the last run's overlay, which its monitor detached and lets go last, gone before another takes its upper layer
            FileLock.WaitForDirectory(rootfs);
            host.Mounts.MountOverlay(rootfs, ContainerLayers.Lower(images, record), store.FileOf(id, ContainerStore.UpperDir), store.FileOf(id, ContainerStore.WorkDir));
            try
            {
                mounts.Prepare(record, rootfs, store.FileOf(id, ContainerStore.SubpathsDir));
                JoinNamespacesOfOthers(id, record);
                var network = networking.Setup(store.Dir(id), record);
                if (network != null && record.UserNamespace != null)
                    UnprivilegedPorts.Open(network.NamespacePath);
                host.Monitor.Start(new ContainerMonitor.Options(runtime, id, store.Dir(id), store.FileOf(id, ContainerStore.LogFile), RunMounts(id))
                {
                    BootId = host.Processes.BootId,
                    CgroupPath = BundleBuilder.CgroupPath(id),
                    Tty = record.Tty,
                    ConsoleSocket = record.Tty ? Path.Combine(store.ConsoleDirectory(), Ids.Short(id) + ".sock") : null,
                    Interactive = record.Interactive,
                    AttachSocket = attachSocket,
                    RestartPolicy = record.RestartPolicy,
                    Healthcheck = record.Healthcheck,
                    AutoRemove = record.AutoRemove ? new(store.LockFile(id), store.RemovalStagingPath(id), store.NameFile(record.Name)) : null,
                    Network = network,
                }, record.Name, cancellation);
            }
            catch (Errors.ContainerException e) when (ExitCodes.IsCommandFailure(e.ExitCode))
            {
                networking.Teardown(store.Dir(id));
                UnmountRun(id);
                // as docker records it: still Created, with the exit code of the command that could not run
                Json.WriteFile(store.FileOf(id, ContainerStore.ExitFile), new ExitRecord { ExitCode = e.ExitCode, FinishedAt = DateTimeOffset.UtcNow });
                throw;
            }
            catch
            {
                networking.Teardown(store.Dir(id));
                UnmountRun(id);
                throw;
            }
        }
        return observer.Observe(id, record);
    }

    /// <summary>
    /// A container on another's network, IPC or PID namespace (container: modes) joins that
    /// one's as it is at this start: the other must run, and the bundle is given the path of
    /// the namespace to join.
    /// </summary>
    private void JoinNamespacesOfOthers(string id, ContainerRecord record)
    {
        var joins = new[]
        {
            ("network", record.NetworkMode.StartsWith(NetworkOptions.ContainerPrefix, StringComparison.Ordinal) ? record.NetworkMode[NetworkOptions.ContainerPrefix.Length..] : null),
            ("ipc", NamespaceModes.JoinedId(record.IpcMode)),
            ("pid", NamespaceModes.JoinedId(record.PidMode)),
        }.Where(j => j.Item2 != null).ToList();
        if (joins.Count == 0)
            return;
        var bundleFile = store.FileOf(id, ContainerStore.BundleConfigFile);
        var bundle = Json.ReadFile<RuntimeSpec>(bundleFile);
        var namespaces = bundle.Linux!.Namespaces;
        foreach (var (type, joinedId) in joins)
        {
            var joined = store.TryRead(joinedId!) ?? throw Errors.Errors.ContainerNotFound(joinedId!);
            var info = observer.Observe(joinedId!, joined);
            if (info.Status is not (ContainerStatus.Running or ContainerStatus.Paused))
                throw Errors.Errors.ContainerNotRunning(joined.Name, $"join the {type} namespace of (for '{record.Name}')");
            namespaces.RemoveAll(n => n.Type == type);
            var path = type == "network" ? ContainerNetworking.NamespaceOf(store.Dir(joinedId!), joined, info.Pid) : $"/proc/{info.Pid}/ns/{type}";
            // a network on the host's has none to join (its namespaces' list has none)
            if (path != null)
                namespaces.Add(new NamespaceSpec { Type = type, Path = path });
        }
        Json.WriteFile(bundleFile, bundle);
    }

    /// <summary>
    /// The container's stop signal, then SIGKILL when timeout passes (null: the container's own
    /// stop timeout, else 10 s); force kills at once. A restart policy stands down. A container
    /// that is not running is left as it is.
    /// </summary>
    public ContainerInfo Stop(string reference, TimeSpan? timeout = null, bool force = false)
    {
        var id = observer.Resolve(reference);
        using var _ = store.Lock(id);
        var record = observer.ReadRecord(id, reference);
        var info = observer.ObserveSettled(id, record);
        if (ContainerStateMachine.CanStop(info.Status))
            return StopLocked(id, record, info.Status, timeout ?? record.StopTimeout ?? ContainerRecord.DefaultStopTimeout, force);
        // a run that ended unseen (its monitor killed with it) leaves what only its monitor would have cleaned
        if (!observer.IsMonitorActive(id))
            ReclaimRun(id, record);
        return info;
    }

    /// <summary>
    /// Sends a signal to the container's init and returns at once (docker kill): no waiting,
    /// no SIGKILL after, and its restart policy still holds if it dies of it.
    /// </summary>
    public ContainerInfo Kill(string reference, string signal)
    {
        signal = Linux.Signals.Normalize(signal);
        var id = observer.Resolve(reference);
        using var _ = store.Lock(id);
        var record = observer.ReadRecord(id, reference);
        if (!ContainerStateMachine.CanKill(observer.Observe(id, record).Status) || !Signal(id, record, signal, all: false))
            throw Errors.Errors.ContainerNotRunning(reference, "signal");
        return observer.Observe(id, record);
    }

    /// <summary>
    /// Sends the signal through the runtime; false when the container ended meanwhile (its
    /// init gone, its monitor recording it), which a caller that wants it ended takes as done.
    /// </summary>
    private bool Signal(string id, ContainerRecord record, string signal, bool all)
    {
        var sent = host.RuntimeOf(record).Kill(id, signal, all);
        if (sent.Succeeded)
            return true;
        // its init alive (Pid set) and the runtime refused: an error; an init that died, even
        // one whose monitor has not recorded it yet (a restart policy's next run to come), is not
        if (observer.Observe(id, record) is { Pid: > 0 } info && ContainerStateMachine.CanKill(info.Status))
            sent.ThrowIfFailed(id);
        return false;
    }

    private ContainerInfo StopLocked(string id, ContainerRecord record, ContainerStatus status, TimeSpan timeout, bool force)
    {
        File.WriteAllText(store.FileOf(id, ContainerStore.StopRequestedFile), "");
        if (status == ContainerStatus.Restarting)
            // nothing runs: the monitor sees the request in its back-off and ends
            return observer.WaitForExit(id, record, TimeSpan.FromSeconds(5)) ?? observer.Observe(id, record);
        var runtime = host.RuntimeOf(record);
        ContainerInfo? exited = null;
        if (!force)
        {
            // a frozen process cannot act on its signal
            if (status == ContainerStatus.Paused)
                runtime.Resume(id);
            Signal(id, record, record.StopSignal, all: false);
            exited = observer.WaitForExit(id, record, timeout);
        }
        if (exited == null)
        {
            Signal(id, record, "KILL", all: true);
            // on cgroup v1 a frozen process does not die even of SIGKILL: thaw it, and it dies at once
            if (force && status == ContainerStatus.Paused)
                runtime.Resume(id);
            exited = observer.WaitForExit(id, record, TimeSpan.FromSeconds(30)) ?? throw Errors.Errors.Timeout($"container '{record.Name}' to exit", record.Name);
        }
        // no monitor (killed from outside) to clean after the run: what it would have done
        if (!observer.IsMonitorActive(id))
            ReclaimRun(id, record);
        else
            networking.Teardown(store.Dir(id)); // the monitor does it too, at its exit: whichever is first
        return exited;
    }

    /// <summary>
    /// What a run leaves when its monitor does not clean after it (killed, or the host rebooted):
    /// the runtime's state and cgroups (deleted by the runtime, from the monitor's copy if need
    /// be), the network's setup, the engine's mounts. A run its monitor cleaned leaves neither, and this finds nothing.
    /// </summary>
    private void ReclaimRun(string id, ContainerRecord record)
    {
        host.RuntimeOf(record).Delete(id).ThrowIfFailed(id);
        networking.Teardown(store.Dir(id));
        UnmountRun(id);
    }

    /// <summary>What the engine mounts for a run: the rootfs, and where the volumes' subpaths are bound (mounted only for those that have them).</summary>
    private string[] RunMounts(string id) => [store.FileOf(id, ContainerStore.RootfsDir), store.FileOf(id, ContainerStore.SubpathsDir)];

    private void UnmountRun(string id)
    {
        foreach (var mount in RunMounts(id))
            host.Mounts.Unmount(mount);
    }

    /// <summary>Stop, then start again.</summary>
    public ContainerInfo Restart(string reference, TimeSpan? timeout = null, CancellationToken cancellation = default)
    {
        Stop(reference, timeout);
        return Start(reference, cancellation);
    }

    /// <summary>Freezes every process of the container (docker pause), or thaws them.</summary>
    public ContainerInfo Pause(string reference, bool pause)
    {
        var id = observer.Resolve(reference);
        using var _ = store.Lock(id);
        var record = observer.ReadRecord(id, reference);
        var status = observer.Observe(id, record).Status;
        var operation = pause ? "pause" : "resume";
        if (pause ? !ContainerStateMachine.CanPause(status) : !ContainerStateMachine.CanResume(status))
            throw ContainerStateMachine.IsLive(status)
                ? Errors.Errors.InvalidContainerState(reference, operation, status)
                : Errors.Errors.ContainerNotRunning(reference, operation);
        var runtime = host.RuntimeOf(record);
        (pause ? runtime.Pause(id) : runtime.Resume(id)).ThrowIfFailed(reference);
        return observer.Observe(id, record);
    }

    /// <summary>A new name (the hostname stays, as with docker rename).</summary>
    public ContainerInfo Rename(string reference, string newName)
    {
        if (!ContainerNames.IsValid(newName))
            throw Errors.Errors.InvalidContainerName(newName);
        var id = observer.Resolve(reference);
        using var _ = store.Lock(id);
        var record = observer.ReadRecord(id, reference);
        var info = observer.ObserveSettled(id, record);
        if (!ContainerStateMachine.CanRename(info.Status))
            throw Errors.Errors.InvalidContainerState(reference, "rename", info.Status);
        if (record.Name == newName)
            return info;
        store.ClaimName(newName, id);
        var oldName = record.Name;
        record.Name = newName;
        try
        {
            store.Write(record);
        }
        catch
        {
            store.ReleaseName(newName, id);
            throw;
        }
        store.ReleaseName(oldName, id);
        return observer.Observe(id, record);
    }

    /// <summary>Removes the container and all it left: runtime state, cgroup, mount, files, name; with volumes, its anonymous volumes no other container uses (docker rm -v).</summary>
    public void Remove(string reference, bool force, bool removeVolumes = false)
    {
        var id = observer.Resolve(reference);
        ContainerRecord record;
        using (store.Lock(id))
        {
            record = observer.ReadRecord(id, reference);
            var info = observer.ObserveSettled(id, record);
            if (!ContainerStateMachine.CanRemove(info.Status, force))
                throw Errors.Errors.ContainerRunning(reference, "remove");
            if (ContainerStateMachine.CanStop(info.Status))
                StopLocked(id, record, info.Status, TimeSpan.Zero, force: true);
            ReclaimRun(id, record);
            var doomed = store.RemovalStagingPath(id);
            Directory.Move(store.Dir(id), doomed);
            // gone from sight first: a crash from here on leaves leases the next allocation reclaims
            networking.Release(record);
            store.ReleaseName(record.Name, id);
            Directory.Delete(doomed, recursive: true);
            if (removeVolumes && ContainerMounts.AnonymousVolumes(record).Any())
            {
                using var _ = volumes.Lock();
                volumes.RemoveAnonymousLocked(ContainerMounts.AnonymousVolumes(record));
            }
        }
        store.DeleteLockFile(id);
        // its maps' copies of its layers go once no container uses them
        if (record.UserNamespace != null)
            images.CollectGarbage();
    }

    /// <summary>Waits until the container has exited (or returns at once if it never started, and nothing is starting it).</summary>
    public ContainerInfo Wait(string reference, TimeSpan? timeout = null, CancellationToken cancellation = default)
    {
        var id = observer.Resolve(reference);
        var record = observer.ReadRecord(id, reference);
        var deadline = timeout is { } t ? DateTime.UtcNow + t : DateTime.MaxValue;
        return observer.ObserveUntil(id, record, c => c.Status is ContainerStatus.Exited or ContainerStatus.Created, deadline, cancellation)
               ?? throw Errors.Errors.Timeout($"container '{reference}' to exit", reference);
    }
}
