using Container.Runtime.Images;
using Container.Runtime.Linux;
using Container.Runtime.Logs;
using Container.Runtime.Oci;
using Container.Runtime.Storage;

namespace Container.Runtime.Containers;

/// <summary>
/// Containers as they are: found by name, id or pattern, observed from their files and the
/// kernel (never a daemon), waited on until they change, and their logs read.
/// </summary>
internal sealed class ContainerObserver(ContainerStore store, HostSeams host)
{
    /// <summary>How long Get and List wait for a start under way to be answered before they show it as Starting.</summary>
    private static readonly TimeSpan StartAnswerWait = TimeSpan.FromSeconds(10);

    /// <summary>As users see it: a start under way is waited for, for it is short, and what it ends in is the truth.</summary>
    public ContainerInfo Get(string reference)
    {
        var id = Resolve(reference);
        var record = ReadRecord(id, reference);
        return Shown(id, record, Observe(id, record));
    }

    /// <summary>Every container as Get shows it, newest first.</summary>
    public IReadOnlyList<ContainerInfo> List() => ObserveMany(store.Ids().ToList(), Shown);

    private ContainerInfo Shown(string id, ContainerRecord record, ContainerInfo info) =>
        info.Status != ContainerStatus.Starting ? info
            : ObserveUntil(id, record, c => c.Status != ContainerStatus.Starting, DateTime.UtcNow + StartAnswerWait) ?? Observe(id, record);

    /// <summary>
    /// What select makes of each container (null leaves it out), newest first; one removed
    /// meanwhile is left out. Observing is a handful of small reads of state files, /proc and
    /// cgroupfs, mostly the kernel's path walks: side by side on every core, they take half the time.
    /// </summary>
    public List<T> ObserveMany<T>(IReadOnlyList<string> ids, Func<string, ContainerRecord, ContainerInfo, T?> select) where T : class
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

    /// <summary>Which image, and which layers, every container uses; one that only -Force would remove uses it as a running one.</summary>
    public IEnumerable<ImageUse> ImageUses() =>
        store.Ids().Select(store.TryRead).OfType<ContainerRecord>()
            .Select(r => new ImageUse(r.Name, r.ImageId, r.Layers, () => !ContainerStateMachine.CanRemove(Observe(r.Id, r).Status, force: false), r.UserNamespace?.Key));

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

    public ContainerRecord ReadRecord(string id, string reference) => store.TryRead(id) ?? throw Errors.Errors.ContainerNotFound(reference);

    /// <summary>
    /// The container's status from its files and the kernel: never started (no run file);
    /// being started (its starter or its monitor holds it, and the run is not recorded yet);
    /// exited (an exit file newer than the run); restarting (its monitor is in back-off);
    /// running or paused (its init is alive, or its monitor is still finishing); otherwise it
    /// died unseen (its monitor was killed, the host rebooted), and its exit code is unknown.
    /// A container whose command could not run stays created, with that exit code (126, 127).
    /// </summary>
    public ContainerInfo Observe(string id, ContainerRecord record)
    {
        var run = Json.ReadFileIfExists<RunRecord>(store.FileOf(id, ContainerStore.RunFile));
        // a run from another boot has ended, whatever pids say now
        var thisBoot = run != null && (run.BootId == null || run.BootId == host.Processes.BootId);
        var status = ContainerStatus.Created;
        ExitRecord? exit = null;
        int? exitCode = null;
        var pid = 0;
        var health = HealthStatus.None;
        // the results outlive the run, as docker keeps them, until the next start
        var healthRecord = record.Healthcheck != null && run != null ? Json.ReadFileIfExists<HealthRecord>(store.FileOf(id, ContainerStore.HealthFile)) : null;
        if (run != null && thisBoot && host.Processes.IsAlive(run.Pid, run.PidStartTime))
        {
            // its init lives: nothing the monitor has recorded of an earlier run matters
            status = host.Cgroups.IsFrozen(BundleBuilder.CgroupPath(id)) ? ContainerStatus.Paused : ContainerStatus.Running;
            pid = run.Pid;
            if (record.Healthcheck != null)
                health = healthRecord?.Status ?? HealthStatus.Starting;
        }
        else if (run != null)
        {
            // the monitor's liveness first, the exit file after: a monitor seen dead has
            // written its exit file already, while one seen alive may write it at any moment
            var monitorAlive = thisBoot && host.Processes.IsAlive(run.MonitorPid, run.MonitorStartTime);
            exit = Json.ReadFileIfExists<ExitRecord>(store.FileOf(id, ContainerStore.ExitFile));
            if (exit != null && exit.FinishedAt >= run.StartedAt)
            {
                status = exit.Restarting && monitorAlive ? ContainerStatus.Restarting : ContainerStatus.Exited;
                exitCode = exit.ExitCode;
            }
            else
                // exited a moment ago and the monitor is recording it, or it died unseen
                status = monitorAlive ? ContainerStatus.Running : ContainerStatus.Exited;
            // started again, and the last run's records not cleared yet
            if (status == ContainerStatus.Exited && FileLock.IsHeld(store.FileOf(id, ContainerStore.StartingLockFile)))
                (status, exitCode) = (ContainerStatus.Starting, null);
        }
        else
        {
            exitCode = Json.ReadFileIfExists<ExitRecord>(store.FileOf(id, ContainerStore.ExitFile))?.ExitCode;
            // the starter's lock first: it lets go only once the monitor holds its own
            if (FileLock.IsHeld(store.FileOf(id, ContainerStore.StartingLockFile)) || IsMonitorActive(id))
                (status, exitCode) = (ContainerStatus.Starting, null);
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
            NetworkMode = record.NetworkMode,
            IpcMode = record.IpcMode,
            PidMode = record.PidMode,
            Networks = record.Networks,
            // the setup's while the run lasts: the monitor tears it down at its end
            Ports = Networks.ContainerNetworking.PortsOf(store.Dir(id), record, running: ContainerStateMachine.IsLive(status)),
            Mounts = record.Mounts,
            UidMap = record.UserNamespace?.Uid.Select(m => m.ToString()).ToList() ?? [],
            GidMap = record.UserNamespace?.Gid.Select(m => m.ToString()).ToList() ?? [],
            Path = store.Dir(id),
            ObservedAt = DateTimeOffset.UtcNow,
        };
    }

    /// <summary>
    /// The container's status once a start under way (its starter killed before the answer,
    /// its monitor still at it) or a monitor finishing a run has recorded what it did: until
    /// then it is Starting, or its files say Exited while a monitor acts on it.
    /// </summary>
    public ContainerInfo ObserveSettled(string id, ContainerRecord record) =>
        ObserveUntil(id, record, c => c.Status switch
            {
                ContainerStatus.Starting => false,
                ContainerStatus.Exited => !IsMonitorActive(id),
                _ => true,
            }, DateTime.UtcNow + TimeSpan.FromSeconds(30))
        ?? throw Errors.Errors.Timeout($"the monitor of '{record.Name}' to record its run", record.Name);

    /// <summary>A stop was asked of its last run (Stop-Container, or up making it anew), rather than the run ending by itself.</summary>
    public bool StopWasRequested(string id) => File.Exists(store.FileOf(id, ContainerStore.StopRequestedFile));

    public bool IsMonitorActive(string id) => FileLock.IsHeld(store.FileOf(id, ContainerStore.MonitorLockFile));

    public ContainerInfo? WaitForExit(string id, ContainerRecord record, TimeSpan timeout) =>
        ObserveUntil(id, record, c => c.Status == ContainerStatus.Exited, DateTime.UtcNow + timeout);

    /// <summary>
    /// Observes the container until done says so, or null once deadline passes. The watch on
    /// its files is opened only when a first look is not enough (the usual case on start,
    /// stop and remove), and the files are looked at again once it is open.
    /// </summary>
    public ContainerInfo? ObserveUntil(string id, ContainerRecord record, Func<ContainerInfo, bool> done, DateTime deadline, CancellationToken cancellation = default)
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

    public IEnumerable<LogEntry> ReadLog(string reference, LogQuery? query = null) =>
        ContainerLog.Read(store.FileOf(Resolve(reference), ContainerStore.LogFile), query);

    /// <summary>
    /// The log, then what the container writes next, until it ends (restarts included) or
    /// cancellation. caughtUp is told each time everything written so far has been yielded and
    /// the follower waits for more: a merge of several logs may then go on with the others'.
    /// </summary>
    public IEnumerable<LogEntry> FollowLog(string reference, LogQuery? query, CancellationToken cancellation, Action? caughtUp = null)
    {
        var id = Resolve(reference);
        return FollowLog(id, ReadRecord(id, reference), query, caughtUp, cancellation);
    }

    private IEnumerable<LogEntry> FollowLog(string id, ContainerRecord record, LogQuery? query, Action? caughtUp, CancellationToken cancellation)
    {
        // open before the first look: a write or an exit after it wakes the wait that follows
        using var changes = DirectoryWatch.Open(store.Dir(id), writes: true);
        foreach (var entry in ContainerLog.Follow(store.FileOf(id, ContainerStore.LogFile), query,
                     () => store.TryRead(id) != null && ContainerStateMachine.IsActive(Observe(id, record).Status),
                     wait =>
                     {
                         caughtUp?.Invoke();
                         changes.Wait(wait);
                     }, cancellation))
            yield return entry;
    }
}
