using Container.Runtime.Cgroups;
using Container.Runtime.Linux;
using Container.Runtime.Logs;
using Container.Runtime.Oci;
using Container.Runtime.Runtimes;
using Container.Runtime.Storage;
using Container.Runtime.Terminals;

namespace Container.Runtime.Containers;

/// <summary>Start, stop, restart, pause, rename, remove, wait: each guarded by the container's state machine.</summary>
public sealed partial class ContainerService
{
    /// <summary>
    /// Mounts the rootfs and hands the container to a new monitor, which runs it. One that
    /// runs already is left as it is, and warn says so (docker start does nothing either).
    /// </summary>
    public ContainerInfo Start(string reference, CancellationToken cancellation = default, Action<string>? warn = null) =>
        Start(reference, cancellation, warn, attachSocket: null);

    private ContainerInfo Start(string reference, CancellationToken cancellation, Action<string>? warn, string? attachSocket)
    {
        var id = Resolve(reference);
        using var _ = store.Lock(id);
        var record = ReadRecord(id, reference);
        var observed = ObserveSettled(id, record);
        var status = observed.Status;
        if (status == ContainerStatus.Running)
        {
            warn?.Invoke($"Container '{reference}' is running already: nothing to start.");
            return observed;
        }
        if (!ContainerStateMachine.CanStart(status))
            throw Errors.Errors.InvalidContainerState(reference, "start", status);
        RequireRoot();
        CgroupHierarchy.Host.BeginMigration();
        var runtime = OciRuntime.Resolve(record.Runtime);
        var runtimeRoot = Paths.RuntimeStateDir(runtime.Name);
        var rootfs = store.FileOf(id, ContainerStore.RootfsDir);

        // what an earlier run may have left (a crash, a reboot)
        ReclaimRun(id, record);
        foreach (var stale in new[] { ContainerStore.RunFile, ContainerStore.ExitFile, ContainerStore.HealthFile, ContainerStore.StopRequestedFile })
            File.Delete(store.FileOf(id, stale));

        var lowerDirs = Enumerable.Reverse(record.Layers).Select(images.LayerDirectory).ToList();
        Mounts.MountOverlay(rootfs, lowerDirs, store.FileOf(id, ContainerStore.UpperDir), store.FileOf(id, ContainerStore.WorkDir));
        try
        {
            ContainerMonitor.Start(new ContainerMonitor.Options(runtime, runtimeRoot, id, store.Dir(id), store.FileOf(id, ContainerStore.LogFile), rootfs)
            {
                CgroupPath = BundleBuilder.CgroupPath(id),
                Tty = record.Tty,
                ConsoleSocket = record.Tty ? ConsoleSocketPath(id) : null,
                Interactive = record.Interactive,
                AttachSocket = attachSocket,
                RestartPolicy = record.RestartPolicy,
                Healthcheck = record.Healthcheck,
                AutoRemove = record.AutoRemove ? new(store.LockFile(id), store.RemovalStagingPath(id), store.NameFile(record.Name)) : null,
            }, record.Name, cancellation);
        }
        catch (Errors.ContainerException e) when (ExitCodes.IsCommandFailure(e.ExitCode))
        {
            Mounts.Unmount(rootfs);
            // as docker records it: still Created, with the exit code of the command that could not run
            Json.WriteFile(store.FileOf(id, ContainerStore.ExitFile), new ExitRecord { ExitCode = e.ExitCode, FinishedAt = DateTimeOffset.UtcNow });
            throw;
        }
        catch
        {
            Mounts.Unmount(rootfs);
            throw;
        }
        return Observe(id, record);
    }

    /// <summary>How long a container has to act on the SIGINT of a Ctrl+C before the run is left to it.</summary>
    private static readonly TimeSpan InterruptGrace = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Creates and starts a container and stays with it (docker run without -d): each line it
    /// writes goes to onLine as it comes, and its exit is returned. With input, that is its
    /// stdin, closed once it ends (docker run -i). Cancellation passes SIGINT to it, as docker
    /// run's signal proxy does, and ends the run (RunInterruptedException, with a warning when
    /// the container lives on). With remove, it is removed at the end, its exit read first; a
    /// start that fails removes it too.
    /// </summary>
    public ContainerInfo Run(ContainerSpec spec, bool remove, Action<LogStream, string> onLine, CancellationToken cancellation = default, ProcessInput? input = null)
    {
        // removed here rather than by its monitor: the monitor would take the exit code with it
        var container = Create((spec.AutoRemove ? spec with { AutoRemove = false } : spec) with { Interactive = spec.Interactive || input != null });
        var outlived = false;
        try
        {
            using var stopInput = new CancellationTokenSource();
            // a Ctrl+C while it starts is passed on once it runs: a start left half-way would
            // leave a running container that no one follows
            if (input == null)
                Start(container.Id);
            else
            {
                var (connection, stdin) = StartAttached(container.Id);
                connection.Dispose(); // without a tty it only brings the stdin pipe
                _ = Task.Run(() => input.Feed(stdin, stopInput.Token));
            }
            try
            {
                foreach (var entry in FollowLog(container.Id, null, cancellation))
                    onLine(entry.Stream, entry.Text);
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                // Ctrl+C: the container is told below
            }
            stopInput.Cancel(); // it ended: what the user types now is not its
            if (cancellation.IsCancellationRequested)
            {
                outlived = !Interrupt(container.Id);
                throw new RunInterruptedException(outlived ? RunInterruptedException.Outlived(container.Name, remove) : null);
            }
            return Wait(container.Id, cancellation: cancellation);
        }
        finally
        {
            if (remove && !outlived)
                Remove(container.Id, force: true);
        }
    }

    /// <summary>
    /// Creates and starts a container on a pseudo-terminal the caller relays (docker run -it):
    /// the session's exit code is the container's, and with remove, disposing it removes the
    /// container.
    /// </summary>
    public TerminalSession RunInTerminal(ContainerSpec spec, bool remove)
    {
        var container = Create(spec with { Tty = true, Interactive = true, AutoRemove = false });
        try
        {
            var (connection, terminal) = StartAttached(container.Id);
            return new AttachedTerminalSession(this, container.Id, remove, terminal, new System.Net.Sockets.NetworkStream(connection, ownsSocket: true));
        }
        catch
        {
            if (remove)
                Remove(container.Id, force: true);
            throw;
        }
    }

    /// <summary>
    /// Starts the container with its first run attached: the monitor connects before the
    /// container starts, and sends its input (the stdin pipe, or the pty master) and, with a
    /// tty, stays connected to pass its screen on.
    /// </summary>
    private (System.Net.Sockets.Socket Connection, FileStream Input) StartAttached(string id)
    {
        using var socket = new ConsoleSocket(System.IO.Path.Combine(ConsoleDirectory(), $"attach-{Ids.Short(id)}.sock"));
        var attached = Task.Run(socket.Attach);
        try
        {
            Start(id, CancellationToken.None, warn: null, attachSocket: socket.Path);
        }
        catch
        {
            socket.Dispose(); // ends the wait for a connection that will not come
            attached.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted);
            throw;
        }
        // the monitor connected before it started the container: this is at hand
        return attached.WaitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
    }

    /// <summary>Passes a Ctrl+C on as SIGINT; true when the container has ended within the grace it is given.</summary>
    private bool Interrupt(string id)
    {
        try
        {
            Kill(id, "SIGINT");
        }
        catch (Errors.ContainerException e) when (e.ErrorId == "ContainerNotRunning")
        {
            return true; // it ended on its own meanwhile
        }
        return WaitForExit(id, ReadRecord(id, id), InterruptGrace) != null;
    }

    /// <summary>
    /// The container's stop signal, then SIGKILL when timeout passes; force kills at once. A
    /// restart policy stands down. A container that is not running is left as it is.
    /// </summary>
    public ContainerInfo Stop(string reference, TimeSpan timeout, bool force = false)
    {
        var id = Resolve(reference);
        using var _ = store.Lock(id);
        var record = ReadRecord(id, reference);
        var info = ObserveSettled(id, record);
        if (ContainerStateMachine.CanStop(info.Status))
            return StopLocked(id, record, info.Status, timeout, force);
        // a run that ended unseen (its monitor killed with it) leaves what only its monitor would have cleaned
        if (!IsMonitorActive(id))
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
        var id = Resolve(reference);
        using var _ = store.Lock(id);
        var record = ReadRecord(id, reference);
        if (Observe(id, record).Status is not (ContainerStatus.Running or ContainerStatus.Paused))
            throw Errors.Errors.ContainerNotRunning(reference, "signal");
        if (!Signal(id, record, signal, all: false))
            throw Errors.Errors.ContainerNotRunning(reference, "signal");
        return Observe(id, record);
    }

    /// <summary>
    /// Sends the signal through the runtime; false when the container ended meanwhile (its
    /// init gone, its monitor recording it), which a caller that wants it ended takes as done.
    /// </summary>
    private bool Signal(string id, ContainerRecord record, string signal, bool all)
    {
        var (runtime, runtimeRoot) = RuntimeOf(id, record);
        try
        {
            runtime.Kill(runtimeRoot, id, signal, all);
            return true;
        }
        catch (Errors.ContainerException) when (Observe(id, record) is { Status: not (ContainerStatus.Running or ContainerStatus.Paused) } or { Pid: 0 })
        {
            return false;
        }
    }

    private ContainerInfo StopLocked(string id, ContainerRecord record, ContainerStatus status, TimeSpan timeout, bool force)
    {
        File.WriteAllText(store.FileOf(id, ContainerStore.StopRequestedFile), "");
        if (status == ContainerStatus.Restarting)
            // nothing runs: the monitor sees the request in its back-off and ends
            return WaitForExit(id, record, TimeSpan.FromSeconds(5)) ?? Observe(id, record);
        var (runtime, runtimeRoot) = RuntimeOf(id, record);
        ContainerInfo? exited = null;
        if (!force)
        {
            // a frozen process cannot act on its signal
            if (status == ContainerStatus.Paused)
                runtime.Invoke(runtimeRoot, ["resume", id]);
            Signal(id, record, record.StopSignal, all: false);
            exited = WaitForExit(id, record, timeout);
        }
        if (exited == null)
        {
            Signal(id, record, "KILL", all: true);
            // on cgroup v1 a frozen process does not die even of SIGKILL: thaw it, and it dies at once
            if (force && status == ContainerStatus.Paused)
                runtime.Invoke(runtimeRoot, ["resume", id]);
            exited = WaitForExit(id, record, TimeSpan.FromSeconds(30)) ?? throw Errors.Errors.Timeout($"container '{record.Name}' to exit", record.Name);
        }
        // no monitor (killed from outside) to clean after the run: what it would have done
        if (!IsMonitorActive(id))
            ReclaimRun(id, record);
        return exited;
    }

    /// <summary>
    /// The container's runtime and the root it keeps its state in, that state put back from the
    /// monitor's copy if the run root was deleted under the container: every act on it goes
    /// through the runtime's command line, whatever became of the runtime's files.
    /// </summary>
    private (OciRuntime Runtime, string Root) RuntimeOf(string id, ContainerRecord record)
    {
        var runtime = OciRuntime.Resolve(record.Runtime);
        var root = Paths.RuntimeStateDir(runtime.Name);
        RuntimeStateCopy.PutBack(store.FileOf(id, ContainerStore.RuntimeStateCopyDir), root, id);
        return (runtime, root);
    }

    /// <summary>
    /// What a run leaves when its monitor does not clean after it (killed, or the host rebooted):
    /// the runtime's state and cgroups (deleted by the runtime, from the monitor's copy if need
    /// be), the rootfs mount. A run its monitor cleaned leaves neither, and this finds nothing.
    /// </summary>
    private void ReclaimRun(string id, ContainerRecord record)
    {
        var (runtime, runtimeRoot) = RuntimeOf(id, record);
        runtime.Delete(runtimeRoot, id, force: true);
        var copy = store.FileOf(id, ContainerStore.RuntimeStateCopyDir);
        if (Directory.Exists(copy))
            Directory.Delete(copy, recursive: true);
        Mounts.Unmount(store.FileOf(id, ContainerStore.RootfsDir));
    }

    /// <summary>Under the run root, which is short (the store root may be deep): sun_path holds 108 bytes.</summary>
    private string ConsoleSocketPath(string id) => System.IO.Path.Combine(ConsoleDirectory(), Ids.Short(id) + ".sock");

    private string ConsoleDirectory()
    {
        var dir = System.IO.Path.Combine(Paths.RunRoot, "console");
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Stop, then start again.</summary>
    public ContainerInfo Restart(string reference, TimeSpan timeout, CancellationToken cancellation = default)
    {
        Stop(reference, timeout);
        return Start(reference, cancellation);
    }

    /// <summary>Freezes every process of the container (docker pause), or thaws them.</summary>
    public ContainerInfo Pause(string reference, bool pause)
    {
        var id = Resolve(reference);
        using var _ = store.Lock(id);
        var record = ReadRecord(id, reference);
        var status = Observe(id, record).Status;
        if (pause ? !ContainerStateMachine.CanPause(status) : !ContainerStateMachine.CanResume(status))
            throw status is ContainerStatus.Running or ContainerStatus.Paused
                ? Errors.Errors.InvalidContainerState(reference, pause ? "pause" : "resume", status)
                : Errors.Errors.ContainerNotRunning(reference, pause ? "pause" : "resume");
        var (runtime, runtimeRoot) = RuntimeOf(id, record);
        var result = runtime.Invoke(runtimeRoot, [pause ? "pause" : "resume", id]);
        if (!result.Succeeded)
            throw Errors.Errors.RuntimeFailed(runtime.Name, pause ? "pause" : "resume", result.ErrorText, reference);
        return Observe(id, record);
    }

    /// <summary>A new name (the hostname stays, as with docker rename).</summary>
    public ContainerInfo Rename(string reference, string newName)
    {
        if (!ContainerNames.IsValid(newName))
            throw Errors.Errors.InvalidContainerName(newName);
        var id = Resolve(reference);
        using var _ = store.Lock(id);
        var record = ReadRecord(id, reference);
        if (record.Name == newName)
            return Observe(id, record);
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
        return Observe(id, record);
    }

    /// <summary>Removes the container and all it left: runtime state, cgroup, mount, files, name.</summary>
    public void Remove(string reference, bool force)
    {
        var id = Resolve(reference);
        using (store.Lock(id))
        {
            var record = ReadRecord(id, reference);
            var info = ObserveSettled(id, record);
            if (!ContainerStateMachine.CanRemove(info.Status, force))
                throw Errors.Errors.ContainerRunning(reference, "remove");
            if (ContainerStateMachine.CanStop(info.Status))
                StopLocked(id, record, info.Status, TimeSpan.Zero, force: true);
            ReclaimRun(id, record);
            var doomed = store.RemovalStagingPath(id);
            Directory.Move(store.Dir(id), doomed);
            store.ReleaseName(record.Name, id);
            Directory.Delete(doomed, recursive: true);
        }
        store.DeleteLockFile(id);
    }

    /// <summary>Waits until the container has exited (or returns at once if it never started, and no monitor is starting it).</summary>
    public ContainerInfo Wait(string reference, TimeSpan? timeout = null, CancellationToken cancellation = default)
    {
        var id = Resolve(reference);
        var record = ReadRecord(id, reference);
        var deadline = timeout is { } t ? DateTime.UtcNow + t : DateTime.MaxValue;
        return ObserveUntil(id, record, c => c.Status == ContainerStatus.Exited || c.Status == ContainerStatus.Created && !IsMonitorActive(id), deadline, cancellation)
               ?? throw Errors.Errors.Timeout($"container '{reference}' to exit", reference);
    }

    /// <summary>
    /// The container's status once a monitor that is still starting it (its starter killed
    /// before the answer) or finishing it has recorded what it did: until then the files say
    /// Created or Exited while a monitor acts on the container.
    /// </summary>
    private ContainerInfo ObserveSettled(string id, ContainerRecord record) =>
        ObserveUntil(id, record, c => c.Status is not (ContainerStatus.Created or ContainerStatus.Exited) || !IsMonitorActive(id), DateTime.UtcNow + TimeSpan.FromSeconds(30))
        ?? throw Errors.Errors.Timeout($"the monitor of '{record.Name}' to record its run", record.Name);

    private bool IsMonitorActive(string id) => FileLock.IsHeld(store.FileOf(id, ContainerStore.MonitorLockFile));

    private ContainerInfo? WaitForExit(string id, ContainerRecord record, TimeSpan timeout) =>
        ObserveUntil(id, record, c => c.Status == ContainerStatus.Exited, DateTime.UtcNow + timeout);

    /// <summary>
    /// Observes the container until done says so, or null once deadline passes. The watch on
    /// its files is opened only when a first look is not enough (the usual case on start,
    /// stop and remove), and the files are looked at again once it is open.
    /// </summary>
    private ContainerInfo? ObserveUntil(string id, ContainerRecord record, Func<ContainerInfo, bool> done, DateTime deadline, CancellationToken cancellation = default)
    {
        var info = Observe(id, record);
        if (done(info))
            return info;
        using var changes = DirectoryWatch.Open(store.Dir(id));
        while (true)
        {
            info = Observe(id, record);
            if (done(info))
                return info;
            if (DateTime.UtcNow >= deadline)
                return null;
            changes.Wait(deadline - DateTime.UtcNow);
            cancellation.ThrowIfCancellationRequested();
        }
    }
}
