using Container.Runtime.Cgroups;
using Container.Runtime.Linux;
using Container.Runtime.Oci;
using Container.Runtime.Runtimes;
using Container.Runtime.Storage;

namespace Container.Runtime.Containers;

/// <summary>Start, stop, restart, pause, rename, remove, wait: each guarded by the container's state machine.</summary>
public sealed partial class ContainerService
{
    /// <summary>Mounts the rootfs and hands the container to a new monitor, which runs it.</summary>
    public ContainerInfo Start(string reference, CancellationToken cancellation = default)
    {
        var id = Resolve(reference);
        using var _ = store.Lock(id);
        var record = ReadRecord(id, reference);
        var status = Observe(id, record).Status;
        if (!ContainerStateMachine.CanStart(status))
            throw Errors.Errors.InvalidContainerState(reference, "start", status);
        RequireRoot();
        var runtime = OciRuntime.Resolve(record.Runtime);
        var runtimeRoot = Paths.RuntimeStateDir(runtime.Name);
        var rootfs = store.FileOf(id, ContainerStore.RootfsDir);

        // what an earlier run may have left (a crash, a reboot): runtime state and a mount
        runtime.Delete(runtimeRoot, id, force: true);
        Mounts.Unmount(rootfs);
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
                RestartPolicy = record.RestartPolicy,
                Healthcheck = record.Healthcheck,
                ReleaseNameFile = record.AutoRemove ? store.NameFile(record.Name) : null,
            }, record.Name, cancellation);
        }
        catch
        {
            Mounts.Unmount(rootfs);
            throw;
        }
        return Observe(id, record);
    }

    /// <summary>
    /// The container's stop signal (or signal), then SIGKILL when timeout passes; force kills
    /// at once. A restart policy stands down. A container that is not running is left as it is.
    /// </summary>
    public ContainerInfo Stop(string reference, TimeSpan timeout, string? signal = null, bool force = false)
    {
        var id = Resolve(reference);
        using var _ = store.Lock(id);
        var record = ReadRecord(id, reference);
        var info = Observe(id, record);
        return ContainerStateMachine.CanStop(info.Status) ? StopLocked(id, record, info.Status, timeout, signal, force) : info;
    }

    private ContainerInfo StopLocked(string id, ContainerRecord record, ContainerStatus status, TimeSpan timeout, string? signal, bool force)
    {
        File.WriteAllText(store.FileOf(id, ContainerStore.StopRequestedFile), "");
        if (status == ContainerStatus.Restarting)
            // nothing runs: the monitor sees the request in its back-off and ends
            return WaitForExit(id, record, TimeSpan.FromSeconds(5)) ?? Observe(id, record);
        var runtime = OciRuntime.Resolve(record.Runtime);
        var runtimeRoot = Paths.RuntimeStateDir(runtime.Name);
        if (!force)
        {
            // a frozen process cannot act on its signal
            if (status == ContainerStatus.Paused)
                runtime.Invoke(runtimeRoot, ["resume", id]);
            runtime.Kill(runtimeRoot, id, signal ?? record.StopSignal);
            if (WaitForExit(id, record, timeout) is { } exited)
                return exited;
        }
        runtime.Kill(runtimeRoot, id, "KILL", all: true);
        // on cgroup v1 a frozen process does not die even of SIGKILL: thaw it, and it dies at once
        if (force && status == ContainerStatus.Paused)
            runtime.Invoke(runtimeRoot, ["resume", id]);
        return WaitForExit(id, record, TimeSpan.FromSeconds(30)) ?? throw Errors.Errors.Timeout($"container '{record.Name}' to exit", record.Name);
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
        var runtime = OciRuntime.Resolve(record.Runtime);
        var result = runtime.Invoke(Paths.RuntimeStateDir(runtime.Name), [pause ? "pause" : "resume", id]);
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
            var info = Observe(id, record);
            if (!ContainerStateMachine.CanRemove(info.Status, force))
                throw Errors.Errors.ContainerRunning(reference, "remove");
            if (ContainerStateMachine.CanStop(info.Status))
                StopLocked(id, record, info.Status, TimeSpan.Zero, null, force: true);
            var runtime = OciRuntime.Resolve(record.Runtime);
            runtime.Delete(Paths.RuntimeStateDir(runtime.Name), id, force: true);
            Mounts.Unmount(store.FileOf(id, ContainerStore.RootfsDir));
            // out of sight at once, then deleted: a crash half-way leaves only staging to clean
            var doomed = Staging.PathFor(Paths, $"removing-{id}");
            Directory.Move(store.Dir(id), doomed);
            store.ReleaseName(record.Name, id);
            Directory.Delete(doomed, recursive: true);
        }
        store.DeleteLockFile(id);
    }

    /// <summary>Waits until the container has exited (or returns at once if it never started).</summary>
    public ContainerInfo Wait(string reference, TimeSpan? timeout = null, CancellationToken cancellation = default)
    {
        var id = Resolve(reference);
        var record = ReadRecord(id, reference);
        var deadline = timeout is { } t ? DateTime.UtcNow + t : DateTime.MaxValue;
        while (true)
        {
            var info = Observe(id, record);
            if (info.Status is ContainerStatus.Exited or ContainerStatus.Created)
                return info;
            if (DateTime.UtcNow >= deadline)
                throw Errors.Errors.Timeout($"container '{record.Name}' to exit", record.Name);
            cancellation.WaitHandle.WaitOne(PollInterval);
            cancellation.ThrowIfCancellationRequested();
        }
    }

    private ContainerInfo? WaitForExit(string id, ContainerRecord record, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var info = Observe(id, record);
            if (info.Status == ContainerStatus.Exited)
                return info;
            Thread.Sleep(PollInterval);
        }
        return null;
    }
}
