using Container.Runtime.Cgroups;
using Container.Runtime.Images;
using Container.Runtime.Linux;
using Container.Runtime.Oci;
using Container.Runtime.Runtimes;
using Container.Runtime.Storage;

namespace Container.Runtime.Containers;

/// <summary>
/// Containers from creation to removal. Daemonless: every call works from the files on
/// disk, the kernel, and the container's monitor; every change holds the container's lock.
/// </summary>
public sealed partial class ContainerService
{
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
        spec.Validate();
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
                InitPath = spec.Init ? NativeBinaries.InitPath : null,
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
            // docker's default is the short id; ours is the name, where it fits
            Hostname = spec.Hostname ?? (System.Text.Encoding.UTF8.GetByteCount(name) <= ContainerSpec.MaxHostnameLength ? name : Ids.Short(id)),
            Labels = labels,
            Layers = [.. image.Layers],
            // as the user named it (runc, or a path), resolved again at each start
            Runtime = string.IsNullOrEmpty(spec.Runtime) ? OciRuntime.Default : spec.Runtime,
            Tty = spec.Tty,
            Interactive = spec.Interactive,
            Init = spec.Init,
            RestartPolicy = (spec.RestartPolicy ?? RestartPolicy.None).ToString(),
            Healthcheck = spec.DisableHealthcheck ? null : spec.Healthcheck ?? ImageHealthcheck(defaults.Healthcheck),
            AutoRemove = spec.AutoRemove,
            StopSignal = Linux.Signals.Normalize(spec.StopSignal ?? defaults.StopSignal ?? "SIGTERM"),
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

    public ContainerInfo Get(string reference)
    {
        var id = Resolve(reference);
        return Observe(id, ReadRecord(id, reference));
    }

    /// <summary>Every container, newest first.</summary>
    public IReadOnlyList<ContainerInfo> List() => ObserveMany(store.Ids().ToList(), (_, _, info) => info);

    /// <summary>
    /// What select makes of each container (null leaves it out), newest first; one removed
    /// meanwhile is left out. Observing is a handful of small reads of state files, /proc and
    /// cgroupfs, mostly the kernel's path walks: side by side on every core, they take half the time.
    /// </summary>
    private List<T> ObserveMany<T>(IReadOnlyList<string> ids, Func<string, ContainerRecord, ContainerInfo, T?> select) where T : class
    {
        var results = new (DateTimeOffset Created, T Value)?[ids.Count];
        try
        {
            Parallel.For(0, ids.Count, i =>
            {
                try
                {
                    if (store.TryRead(ids[i]) is { } record && select(ids[i], record, Observe(ids[i], record)) is { } value)
                        results[i] = (record.Created, value);
                }
                catch (Errors.ContainerException) when (!Directory.Exists(store.Dir(ids[i])))
                {
                    // removed while it was read
                }
            });
        }
        catch (AggregateException e)
        {
            // as a loop would have thrown it
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }
        return results.OfType<(DateTimeOffset Created, T Value)>().OrderByDescending(r => r.Created).Select(r => r.Value).ToList();
    }

    /// <summary>Which image, and which layers, every container uses.</summary>
    internal IEnumerable<ImageUse> ImageUses() =>
        store.Ids().Select(store.TryRead).OfType<ContainerRecord>()
            .Select(r => new ImageUse(r.Name, r.ImageId, r.Layers, () => ContainerStateMachine.CanStop(Observe(r.Id, r).Status)));

    /// <summary>
    /// The containers a name, id or wildcard pattern stands for, each as a reference to act
    /// on that names it as the user did: a literal reference as it was typed (a name, or a
    /// short id: errors then say what the user wrote), a pattern's matches by their names. A
    /// pattern that matches nothing yields nothing; a literal reference that matches nothing
    /// is ContainerNotFound.
    /// </summary>
    public IReadOnlyList<string> Select(string referenceOrPattern)
    {
        if (!Text.Wildcard.IsPattern(referenceOrPattern))
        {
            var reference = Text.Wildcard.Unescape(referenceOrPattern);
            Resolve(reference);
            return [reference];
        }
        var pattern = Text.Wildcard.Parse(referenceOrPattern);
        return store.Ids().Select(store.TryRead).OfType<ContainerRecord>()
            .Where(r => pattern.IsMatch(r.Name)).Select(r => r.Name).ToList();
    }

    /// <summary>A name, an id, or a unique prefix of an id, as docker takes them.</summary>
    public string Resolve(string reference)
    {
        if (string.IsNullOrEmpty(reference))
            throw Errors.Errors.ContainerNotFound(reference);
        // a full id first, as docker does; and at once, however many containers there are
        if (reference.Length == 64 && Ids.IsHex(reference) && Directory.Exists(store.Dir(reference)))
            return reference;
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

    /// <summary>
    /// The container's status from its files and the kernel: never started (no run file);
    /// exited (an exit file newer than the run); restarting (its monitor is in back-off);
    /// running or paused (its init is alive, or its monitor is still finishing); otherwise it
    /// died unseen (its monitor was killed, the host rebooted), and its exit code is unknown.
    /// A container whose command could not run stays created, with that exit code (126, 127).
    /// </summary>
    private ContainerInfo Observe(string id, ContainerRecord record)
    {
        var run = Json.ReadFileIfExists<RunRecord>(store.FileOf(id, ContainerStore.RunFile));
        // a run from another boot has ended, whatever pids say now
        var thisBoot = run != null && (run.BootId == null || run.BootId == Boot.Id);
        var status = ContainerStatus.Created;
        ExitRecord? exit = null;
        int? exitCode = null;
        var pid = 0;
        var health = HealthStatus.None;
        // the results outlive the run, as docker keeps them, until the next start
        var healthRecord = record.Healthcheck != null && run != null ? Json.ReadFileIfExists<HealthRecord>(store.FileOf(id, ContainerStore.HealthFile)) : null;
        if (run != null && thisBoot && ProcessTable.IsAlive(run.Pid, run.PidStartTime))
        {
            // its init lives: nothing the monitor has recorded of an earlier run matters
            status = CgroupHierarchy.Host.IsFrozen(BundleBuilder.CgroupPath(id)) ? ContainerStatus.Paused : ContainerStatus.Running;
            pid = run.Pid;
            if (record.Healthcheck != null)
                health = healthRecord?.Status ?? HealthStatus.Starting;
        }
        else if (run != null)
        {
            // the monitor's liveness first, the exit file after: a monitor seen dead has
            // written its exit file already, while one seen alive may write it at any moment
            var monitorAlive = thisBoot && ProcessTable.IsAlive(run.MonitorPid, run.MonitorStartTime);
            exit = Json.ReadFileIfExists<ExitRecord>(store.FileOf(id, ContainerStore.ExitFile));
            if (exit != null && exit.FinishedAt >= run.StartedAt)
            {
                status = exit.Restarting && monitorAlive ? ContainerStatus.Restarting : ContainerStatus.Exited;
                exitCode = exit.ExitCode;
            }
            else
                // exited a moment ago and the monitor is recording it, or it died unseen
                status = monitorAlive ? ContainerStatus.Running : ContainerStatus.Exited;
        }
        else
            exitCode = Json.ReadFileIfExists<ExitRecord>(store.FileOf(id, ContainerStore.ExitFile))?.ExitCode;
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
            HealthLog = healthRecord?.Log ?? [],
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