using Container.Runtime.Oci;

namespace Container.Runtime.Containers;

/// <summary>A container's limits (read and changed live), processes and statistics.</summary>
internal sealed class ContainerResources(ContainerStore store, HostSeams host, ContainerObserver observer)
{
    /// <summary>The container's limits, as its bundle sets them (and, when it runs, its cgroup holds them).</summary>
    public ContainerLimits Limits(string reference)
    {
        var id = observer.Resolve(reference);
        var record = observer.ReadRecord(id, reference);
        return new ContainerLimits { Id = id, Name = record.Name, Limits = ResourceLimits.From(BundleConfig(id).Linux.Resources) };
    }

    private RuntimeSpec BundleConfig(string id) => Json.ReadFile<RuntimeSpec>(store.FileOf(id, ContainerStore.BundleConfigFile));

    /// <summary>What a change would do, checked, without doing it: to confirm (-WhatIf), then apply with <see cref="ApplyLimits(LimitChange)"/>.</summary>
    public LimitChange PlanLimits(string reference, ResourceLimits change)
    {
        var id = observer.Resolve(reference);
        var record = observer.ReadRecord(id, reference);
        var info = observer.Observe(id, record);
        Func<long>? memoryInUse = ContainerStateMachine.IsLive(info.Status)
            ? () => host.Cgroups.Usage(BundleBuilder.CgroupPath(id))?.MemoryUsage ?? 0
            : null;
        return LimitChange.Plan(id, record.Name, BundleConfig(id), change, memoryInUse, host.Cgroups);
    }

    /// <summary>Plans the change and applies it (nothing to confirm).</summary>
    public ContainerLimits ApplyLimits(string reference, ResourceLimits change) => ApplyLimits(PlanLimits(reference, change));

    /// <summary>
    /// Makes a planned change of the container's limits, under its lock: live (through the
    /// runtime's update) when it runs, and in its bundle, so they hold at its next start too.
    /// Returns the limits now in force.
    /// </summary>
    public ContainerLimits ApplyLimits(LimitChange plan)
    {
        using var _ = store.Lock(plan.Id);
        var record = observer.ReadRecord(plan.Id, plan.Container);
        var config = plan.ApplyTo(BundleConfig(plan.Id));
        if (ContainerStateMachine.IsLive(observer.Observe(plan.Id, record).Status))
        {
            var file = store.FileOf(plan.Id, $"update-{Ids.New()[..12]}.json");
            try
            {
                Json.WriteFile(file, plan.LiveResources());
                var result = host.RuntimeOf(record).Update(plan.Id, file);
                if (!result.Succeeded)
                    throw Errors.Errors.InvalidArgument("LimitNotApplied", $"The kernel refused the new limits of '{record.Name}': {result.ErrorText}", plan.Container);
            }
            finally
            {
                File.Delete(file);
            }
        }
        Json.WriteFile(store.FileOf(plan.Id, ContainerStore.BundleConfigFile), config);
        return new ContainerLimits { Id = plan.Id, Name = record.Name, Limits = plan.After };
    }

    /// <summary>The container's processes (docker top), from its cgroup.</summary>
    public IReadOnlyList<ContainerProcess> Processes(string reference)
    {
        var id = observer.Resolve(reference);
        var record = observer.ReadRecord(id, reference);
        if (!ContainerStateMachine.CanInspectProcesses(observer.Observe(id, record).Status))
            throw Errors.Errors.ContainerNotRunning(reference, "list the processes of");
        var processes = host.Processes;
        return processes.WithDescendants(host.Cgroups.Processes(BundleBuilder.CgroupPath(id))).Select(pid => processes.Describe(pid, record.Name)).OfType<ContainerProcess>()
            .OrderBy(p => p.ContainerPid).ToList();
    }

    /// <summary>One sample of the container; CPU percent is since it started. One that is not running (or ended meanwhile) is an error.</summary>
    public ContainerStats Stats(string reference)
    {
        var id = observer.Resolve(reference);
        var record = observer.ReadRecord(id, reference);
        var info = observer.Observe(id, record);
        return (ContainerStateMachine.CanInspectProcesses(info.Status) ? Measure(id, record, info, previous: null) : null)
               ?? throw Errors.Errors.ContainerNotRunning(reference, "sample");
    }

    /// <summary>One sample of every running (or paused) container, newest first (docker stats --no-stream).</summary>
    public IReadOnlyList<ContainerStats> StatsOfRunning() => SampleMany(store.Ids().ToList(), previous: null);

    /// <summary>
    /// Samples every interval, CPU percent since the previous sample, until cancellation: the
    /// containers given while they run, or (ids null) whichever run at each sample.
    /// </summary>
    public IEnumerable<IReadOnlyList<ContainerStats>> StreamStats(IReadOnlyList<string>? ids, TimeSpan interval, CancellationToken cancellation)
    {
        var previous = new Dictionary<string, ContainerStats>();
        while (!cancellation.IsCancellationRequested)
        {
            var samples = SampleMany(ids ?? store.Ids().ToList(), previous);
            previous = samples.ToDictionary(s => s.Id);
            yield return samples;
            cancellation.WaitHandle.WaitOne(interval);
        }
    }

    /// <summary>A sample of each container that runs, newest first; those that do not, or went meanwhile, are left out.</summary>
    private List<ContainerStats> SampleMany(IReadOnlyList<string> ids, Dictionary<string, ContainerStats>? previous) =>
        observer.ObserveMany(ids, (id, record, info) => ContainerStateMachine.CanInspectProcesses(info.Status)
            ? Measure(id, record, info, previous?.GetValueOrDefault(id))
            : null);

    /// <summary>A sample of the container's cgroup and network; null when its cgroup went meanwhile (it ended).</summary>
    private ContainerStats? Measure(string id, ContainerRecord record, ContainerInfo info, ContainerStats? previous)
    {
        if (host.Cgroups.Usage(BundleBuilder.CgroupPath(id)) is not { } usage)
            return null;
        var (received, sent) = host.Processes.NetworkCounters(info.Pid);
        var now = DateTimeOffset.UtcNow;
        var cpu = TimeSpan.FromTicks(usage.CpuNanoseconds / 100);
        var (since, before) = previous != null ? (previous.SampledAt, previous.CpuTime) : (info.StartedAt ?? now, TimeSpan.Zero);
        var wall = (now - since).TotalSeconds;
        return new ContainerStats
        {
            Id = id,
            Name = record.Name,
            SampledAt = now,
            CpuPercent = wall > 0 ? Math.Max(0, (cpu - before).TotalSeconds / wall * 100) : 0,
            CpuTime = cpu,
            MemoryUsage = usage.MemoryUsage,
            MemoryLimit = usage.MemoryLimit,
            Pids = usage.Pids,
            BlockRead = usage.BlockRead,
            BlockWrite = usage.BlockWrite,
            NetReceived = received,
            NetSent = sent,
        };
    }
}
