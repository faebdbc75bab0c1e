using Container.Runtime.Cgroups;
using Container.Runtime.Images;
using Container.Runtime.Linux;
using Container.Runtime.Logs;
using Container.Runtime.Oci;
using Container.Runtime.Runtimes;
using Container.Runtime.Storage;

namespace Container.Runtime.Containers;

/// <summary>
/// Containers from creation to removal. Daemonless: every call works from the files on
/// disk, the kernel, and the container's monitor; every change holds the container's lock.
/// </summary>
public sealed class ContainerService
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(10);
    private readonly ContainerStore store;
    private readonly ImageStore images;

    internal ContainerService(StorePaths paths, ImageStore images)
    {
        store = new ContainerStore(paths);
        this.images = images;
    }

    private StorePaths Paths => store.Paths;

    /// <summary>Makes the container's record and bundle; nothing runs and nothing is mounted yet.</summary>
    public ContainerInfo Create(ContainerSpec spec)
    {
        spec.Limits?.Validate();
        spec.Healthcheck?.Validate();
        // the image's layers must not be collected between reading the image and recording the container
        using var hold = images.HoldAgainstCollection();
        var image = images.Get(spec.Image);
        if (spec.Name != null && !ContainerNames.IsValid(spec.Name))
            throw Errors.Errors.InvalidContainerName(spec.Name);
        OciRuntime.Resolve(spec.Runtime); // fails now, not at start, if it is not there
        var id = Ids.New();
        var staged = store.StagedDir(id);
        string? name = null;
        try
        {
            // the staging directory exists before the name is claimed: that keeps the claim live
            Directory.CreateDirectory(staged);
            name = ClaimName(spec.Name, id);
            var record = NewRecord(id, name, spec, image);
            foreach (var dir in new[] { ContainerStore.RootfsDir, ContainerStore.UpperDir, ContainerStore.WorkDir })
                Directory.CreateDirectory(System.IO.Path.Combine(staged, dir));
            var layersTopFirst = Enumerable.Reverse(record.Layers).Select(images.LayerDirectory).ToList();
            var bundle = BundleBuilder.Build(record, new BundleOptions
            {
                User = UserResolver.Resolve(record.User, layersTopFirst),
                Capabilities = Oci.Capabilities.Resolve(spec.CapAdd, spec.CapDrop),
                Privileged = spec.Privileged,
                ReadOnlyRootfs = spec.ReadOnlyRootfs,
                Limits = spec.Limits,
            });
            Json.WriteFile(System.IO.Path.Combine(staged, ContainerStore.BundleConfigFile), bundle);
            Json.WriteFile(System.IO.Path.Combine(staged, ContainerStore.RecordFile), record);
            Directory.Move(staged, store.Dir(id));
            return Observe(id, record);
        }
        catch
        {
            if (name != null)
                store.ReleaseName(name, id);
            if (Directory.Exists(staged))
                Directory.Delete(staged, recursive: true);
            throw;
        }
    }

    private static ContainerRecord NewRecord(string id, string name, ContainerSpec spec, ContainerImage image)
    {
        var defaults = image.Config.Config ?? new ContainerConfig();
        var entrypoint = spec.Entrypoint?.ToList() ?? defaults.Entrypoint ?? [];
        // a new entrypoint drops the image's Cmd, as docker does
        var command = spec.Command?.ToList() ?? (spec.Entrypoint != null ? [] : defaults.Cmd ?? []);
        if (entrypoint.Count == 0 && command.Count == 0)
            throw Errors.Errors.InvalidArgument("NoCommand",
                $"Image '{spec.Image}' has no command and none was given: use -Command.", spec.Image);
        var labels = new Dictionary<string, string>(defaults.Labels ?? []);
        foreach (var (key, value) in spec.Labels ?? new Dictionary<string, string>())
            labels[key] = value;
        var workingDirectory = spec.WorkingDirectory ?? defaults.WorkingDir;
        return new ContainerRecord
        {
            Id = id,
            Name = name,
            Image = image.Reference != null ? ImageReference.Parse(image.Reference).ToFamiliarString() : image.ShortId,
            ImageId = image.Id,
            Created = DateTimeOffset.UtcNow,
            Entrypoint = entrypoint,
            Command = command,
            Environment = MergeEnvironment(defaults.Env, spec.Environment),
            WorkingDirectory = string.IsNullOrEmpty(workingDirectory) ? "/" : workingDirectory,
            User = spec.User ?? defaults.User,
            Hostname = spec.Hostname ?? name,
            Labels = labels,
            Layers = [.. image.Layers],
            // as the user named it (runc, or a path), resolved again at each start
            Runtime = string.IsNullOrEmpty(spec.Runtime) ? OciRuntime.Default : spec.Runtime,
            Tty = spec.Tty,
            Interactive = spec.Interactive,
            RestartPolicy = (spec.RestartPolicy ?? RestartPolicy.None).ToString(),
            Healthcheck = spec.Healthcheck ?? ImageHealthcheck(defaults.Healthcheck),
            AutoRemove = spec.AutoRemove,
            StopSignal = spec.StopSignal ?? defaults.StopSignal ?? "SIGTERM",
        };
    }

    /// <summary>The image's healthcheck (CMD, or CMD-SHELL run by /bin/sh -c; NONE or none is none).</summary>
    private static Healthcheck? ImageHealthcheck(HealthcheckConfig? config)
    {
        if (config?.Test is not [var kind, .. var rest] || kind == "NONE" || rest.Count == 0)
            return null;
        static TimeSpan Or(long? nanoseconds, TimeSpan fallback) => nanoseconds is > 0 ? TimeSpan.FromTicks(nanoseconds.Value / 100) : fallback;
        return new Healthcheck
        {
            Command = kind == "CMD-SHELL" ? ["/bin/sh", "-c", string.Join(' ', rest)] : rest,
            Interval = Or(config.Interval, TimeSpan.FromSeconds(30)),
            Timeout = Or(config.Timeout, TimeSpan.FromSeconds(30)),
            StartPeriod = Or(config.StartPeriod, TimeSpan.Zero),
            Retries = config.Retries is > 0 ? config.Retries.Value : 3,
        };
    }

    /// <summary>The image's variables, then the user's (which win); PATH always set.</summary>
    internal static List<string> MergeEnvironment(IEnumerable<string>? image, IReadOnlyDictionary<string, string>? user)
    {
        var merged = new List<KeyValuePair<string, string>>();
        void Set(string key, string value)
        {
            var at = merged.FindIndex(kv => kv.Key == key);
            if (at >= 0)
                merged[at] = new(key, value);
            else
                merged.Add(new(key, value));
        }
        foreach (var entry in image ?? [])
        {
            var eq = entry.IndexOf('=');
            if (eq > 0)
                Set(entry[..eq], entry[(eq + 1)..]);
        }
        foreach (var (key, value) in user ?? new Dictionary<string, string>())
        {
            if (key.Length == 0 || key.Contains('='))
                throw Errors.Errors.InvalidArgument("InvalidEnvironment", $"'{key}' is not a valid environment variable name.", key);
            Set(key, value);
        }
        if (!merged.Any(kv => kv.Key == "PATH"))
            merged.Insert(0, new("PATH", SecurityDefaults.DefaultPath["PATH=".Length..]));
        return merged.Select(kv => $"{kv.Key}={kv.Value}").ToList();
    }

    private string ClaimName(string? wanted, string id)
    {
        if (wanted != null)
        {
            store.ClaimName(wanted, id);
            return wanted;
        }
        for (var attempt = 0; ; attempt++)
        {
            var name = ContainerNames.Generate();
            try
            {
                store.ClaimName(name, id);
                return name;
            }
            catch (Errors.ContainerException e) when (e.ErrorId == "NameInUse" && attempt < 100)
            {
            }
        }
    }

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
        return WaitForExit(id, record, TimeSpan.FromSeconds(30)) ?? throw Errors.Errors.Timeout($"container '{record.Name}' to exit", record.Name);
    }

    /// <summary>Under the run root, which is short (the store root may be deep): sun_path holds 108 bytes.</summary>
    private string ConsoleSocketPath(string id)
    {
        var dir = System.IO.Path.Combine(Paths.RunRoot, "console");
        Directory.CreateDirectory(dir);
        return System.IO.Path.Combine(dir, Ids.Short(id) + ".sock");
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

    public ContainerInfo Get(string reference)
    {
        var id = Resolve(reference);
        return Observe(id, ReadRecord(id, reference));
    }

    public IReadOnlyList<ContainerInfo> List()
    {
        var all = new List<ContainerInfo>();
        foreach (var id in store.Ids())
        {
            // a container removed while we list is simply not listed
            if (store.TryRead(id) is { } record)
                all.Add(Observe(id, record));
        }
        return all.OrderByDescending(c => c.Created).ToList();
    }

    /// <summary>
    /// A new image from the container (docker commit): its image's layers, plus one made of its
    /// writable layer (deletions as whiteouts), with its config, changed by options. A running
    /// container is paused meanwhile, so the layer is one moment's.
    /// </summary>
    public ContainerImage Commit(string reference, ImageReference name, CommitOptions? options = null)
    {
        options ??= new CommitOptions();
        var id = Resolve(reference);
        using var _ = store.Lock(id);
        using var hold = images.HoldAgainstCollection();
        var record = ReadRecord(id, reference);
        var parent = images.Find(record.ImageId)
                     ?? throw Errors.Errors.InvalidArgument("ImageGone", $"The image of container '{record.Name}' is gone from the store.", reference);
        var (parentManifest, parentConfig) = images.ReadManifest(parent.Digest);

        Descriptor layer;
        var status = Observe(id, record).Status;
        var runtime = OciRuntime.Resolve(record.Runtime);
        var runtimeRoot = Paths.RuntimeStateDir(runtime.Name);
        var paused = status == ContainerStatus.Running && runtime.Invoke(runtimeRoot, ["pause", id]).Succeeded;
        try
        {
            layer = images.WriteLayer(store.FileOf(id, ContainerStore.UpperDir), fromOverlayUpper: true);
        }
        finally
        {
            if (paused)
                runtime.Invoke(runtimeRoot, ["resume", id]);
        }

        var now = DateTimeOffset.UtcNow.ToString("o");
        var environment = options.Environment == null ? record.Environment
            : MergeEnvironment(record.Environment, options.Environment);
        var config = new ImageConfig
        {
            Created = now,
            Author = options.Author ?? parentConfig.Author,
            Architecture = parentConfig.Architecture,
            Os = parentConfig.Os,
            Config = new ContainerConfig
            {
                User = record.User,
                Env = environment,
                Entrypoint = options.Entrypoint?.ToList() ?? (record.Entrypoint.Count > 0 ? record.Entrypoint : null),
                Cmd = options.Command?.ToList() ?? (record.Command.Count > 0 ? record.Command : null),
                WorkingDir = options.WorkingDirectory ?? record.WorkingDirectory,
                Labels = record.Labels.Count > 0 ? new Dictionary<string, string>(record.Labels) : null,
                ExposedPorts = parentConfig.Config?.ExposedPorts,
                Volumes = parentConfig.Config?.Volumes,
                StopSignal = parentConfig.Config?.StopSignal,
            },
            RootFs = new RootFsConfig { DiffIds = [.. parentConfig.RootFs.DiffIds, layer.Digest] },
            History = [.. parentConfig.History ?? [], new HistoryEntry { Created = now, CreatedBy = $"commit {record.Name}", Comment = options.Message }],
        };
        return images.CreateImage([.. parentManifest.Layers, layer], config, name);
    }

    /// <summary>
    /// The container's files as a tar (docker export): its image with its changes, without
    /// what the runtime mounts (/proc, /sys, /dev). Written atomically.
    /// </summary>
    public void ExportFilesystem(string reference, string path)
    {
        var id = Resolve(reference);
        using var _ = store.Lock(id);
        var record = ReadRecord(id, reference);
        var rootfs = store.FileOf(id, ContainerStore.RootfsDir);
        path = System.IO.Path.GetFullPath(path);
        var temporary = $"{path}.tmp.{Environment.ProcessId}";
        string? view = null;
        try
        {
            // a running container's rootfs mount is that view already (its runtime mounts are in its own namespace)
            if (!Mounts.IsMountPoint(rootfs))
            {
                view = Staging.NewPath(Paths);
                Directory.CreateDirectory(view);
                var lowers = new[] { store.FileOf(id, ContainerStore.UpperDir) }.Concat(Enumerable.Reverse(record.Layers).Select(images.LayerDirectory)).ToList();
                Mounts.MountReadOnlyOverlay(view, lowers);
            }
            using (var output = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                LayerArchive.Write(view ?? rootfs, output);
                output.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
            if (view != null)
            {
                Mounts.Unmount(view);
                Directory.Delete(view);
            }
        }
    }

    /// <summary>Which image, and which layers, every container uses.</summary>
    internal IEnumerable<ImageUse> ImageUses() =>
        store.Ids().Select(store.TryRead).OfType<ContainerRecord>().Select(r => new ImageUse(r.Name, r.ImageId, r.Layers));

    /// <summary>
    /// The ids a name, id or wildcard pattern stands for. A pattern that matches nothing
    /// yields nothing; a literal reference that matches nothing is ContainerNotFound.
    /// </summary>
    public IReadOnlyList<string> Select(string referenceOrPattern)
    {
        if (!Text.Wildcard.IsPattern(referenceOrPattern))
            return [Resolve(Text.Wildcard.Unescape(referenceOrPattern))];
        var pattern = Text.Wildcard.Parse(referenceOrPattern);
        return store.Ids().Select(id => (id, record: store.TryRead(id)))
            .Where(c => c.record != null && pattern.IsMatch(c.record.Name)).Select(c => c.id).ToList();
    }

    public IEnumerable<LogEntry> ReadLog(string reference) => ContainerLog.Read(store.FileOf(Resolve(reference), ContainerStore.LogFile));

    /// <summary>A name, an id, or a unique prefix of an id, as docker takes them.</summary>
    public string Resolve(string reference)
    {
        if (string.IsNullOrEmpty(reference))
            throw Errors.Errors.ContainerNotFound(reference);
        if (ContainerNames.IsValid(reference) && store.IdOfName(reference) is { } byName)
            return byName;
        if (!Ids.IsHex(reference))
            throw Errors.Errors.ContainerNotFound(reference);
        var matches = store.Ids().Where(id => id.StartsWith(reference, StringComparison.Ordinal)).Take(2).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw Errors.Errors.ContainerNotFound(reference),
            _ => throw Errors.Errors.AmbiguousContainerId(reference),
        };
    }

    private ContainerRecord ReadRecord(string id, string reference) => store.TryRead(id) ?? throw Errors.Errors.ContainerNotFound(reference);

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

    private static readonly Lazy<string> BootId = new(() => File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim());

    /// <summary>
    /// The container's status from its files and the kernel: never started (no run file);
    /// exited (an exit file newer than the run); restarting (its monitor is in back-off);
    /// running or paused (its init is alive, or its monitor is still finishing); otherwise it
    /// died unseen (its monitor was killed, the host rebooted), and its exit code is unknown.
    /// </summary>
    private ContainerInfo Observe(string id, ContainerRecord record)
    {
        var run = Json.ReadFileIfExists<RunRecord>(store.FileOf(id, ContainerStore.RunFile));
        // a run from another boot has ended, whatever pids say now
        var thisBoot = run != null && (run.BootId == null || run.BootId == BootId.Value);
        // liveness first, the exit file after: a monitor seen dead has written its exit file
        // already, while one seen alive may write it at any moment
        var initAlive = thisBoot && ProcessTable.IsAlive(run!.Pid, run.PidStartTime);
        var monitorAlive = thisBoot && ProcessTable.IsAlive(run!.MonitorPid, run.MonitorStartTime);
        var exit = Json.ReadFileIfExists<ExitRecord>(store.FileOf(id, ContainerStore.ExitFile));
        var status = ContainerStatus.Created;
        int? exitCode = null;
        var pid = 0;
        var health = HealthStatus.None;
        if (run != null)
        {
            if (exit != null && exit.FinishedAt >= run.StartedAt)
            {
                status = exit.Restarting && monitorAlive ? ContainerStatus.Restarting : ContainerStatus.Exited;
                exitCode = exit.ExitCode;
            }
            else if (initAlive)
            {
                status = CgroupHierarchy.Host.IsFrozen(BundleBuilder.CgroupPath(id)) ? ContainerStatus.Paused : ContainerStatus.Running;
                pid = run.Pid;
                if (record.Healthcheck != null)
                    health = Json.ReadFileIfExists<HealthRecord>(store.FileOf(id, ContainerStore.HealthFile))?.Status ?? HealthStatus.Starting;
            }
            else
                // exited a moment ago and the monitor is recording it, or it died unseen
                status = monitorAlive ? ContainerStatus.Running : ContainerStatus.Exited;
        }
        return new ContainerInfo
        {
            Id = id,
            Name = record.Name,
            Image = record.Image,
            ImageId = record.ImageId,
            CommandLine = [.. record.Entrypoint, .. record.Command],
            Created = record.Created,
            Status = status,
            ExitCode = exitCode,
            Signal = status == ContainerStatus.Exited ? exit?.Signal ?? 0 : 0,
            OomKilled = status is ContainerStatus.Exited or ContainerStatus.Restarting && (exit?.OomKilled ?? false),
            RestartCount = run?.RestartCount ?? 0,
            RestartPolicy = record.RestartPolicy,
            Health = health,
            Tty = record.Tty,
            StartedAt = run?.StartedAt,
            FinishedAt = status is ContainerStatus.Exited or ContainerStatus.Restarting ? exit?.FinishedAt : null,
            Pid = pid,
            Hostname = record.Hostname,
            Environment = record.Environment,
            WorkingDirectory = record.WorkingDirectory,
            Labels = record.Labels,
            Runtime = record.Runtime,
            Path = store.Dir(id),
            ObservedAt = DateTimeOffset.UtcNow,
        };
    }

    private static void RequireRoot()
    {
        if (Libc.Geteuid() != 0)
            throw Errors.Errors.RootRequired();
    }
}
