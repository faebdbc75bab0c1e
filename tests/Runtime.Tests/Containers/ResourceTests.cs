using Container.Runtime.Containers;
using Container.Runtime.Errors;
using Container.Runtime.Processes;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Containers;

/// <summary>A running container's processes, statistics and live limits, against its real cgroup (v1 here, v2 in the VM).</summary>
[Trait("Category", "Kernel")]
public sealed class ResourceTests : IDisposable
{
    private readonly TestStore store = new();

    public void Dispose() => store.Dispose();

    private static bool IsCgroupV2 => File.Exists("/sys/fs/cgroup/cgroup.controllers");

    private ContainerInfo Start(string name, string script, ResourceLimits? limits = null)
    {
        store.Containers.Create(new ContainerSpec { Image = TestStore.Image, Name = name, Command = ["sh", "-c", script], Limits = limits });
        store.Containers.Start(name);
        WaitUntilReady(name);
        return store.Containers.Get(name);
    }

    /// <summary>The script is running (and past its setup) once it touched /ready.</summary>
    private void WaitUntilReady(string name)
    {
        var ready = Path.Combine(store.Containers.Get(name).Path, "upper", "ready");
        // generous: a busy script's setup (24 MB through tr) took over 30 s in the emulated v2 VM on a loaded host
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (!File.Exists(ready))
        {
            Assert.True(DateTime.UtcNow < deadline, $"{name} never got ready: {store.Output(name)}");
            Thread.Sleep(10);
        }
    }

    /// <summary>What a cgroup file of the container says, through its own /sys/fs/cgroup.</summary>
    private string CgroupFile(string name, string v1, string v2)
    {
        var lines = new List<string>();
        var code = store.Containers.Exec(name, new ExecSpec { Command = ["cat", IsCgroupV2 ? $"/sys/fs/cgroup/{v2}" : $"/sys/fs/cgroup/{v1}"] },
            (_, line) => lines.Add(line));
        Assert.Equal(0, code);
        return string.Join('\n', lines);
    }

    [Fact]
    public void ACgroupSampledIsThereAndOneGoneGivesNone()
    {
        var cgroups = Container.Runtime.Cgroups.CgroupHierarchy.Host;
        Assert.True(cgroups.Usage("") is { CpuNanoseconds: > 0 }, "the root cgroup, which every hierarchy has, sampled");
        Assert.Null(cgroups.Usage("/container/" + Container.Runtime.Ids.New()));
    }

    [Fact]
    public void ProcessesAreListedWithHostAndContainerPids()
    {
        var info = Start("top", "sleep 1000 & sleep 1001 & touch /ready; wait");
        // the shell's children are listed as soon as they are forked: wait for the sleeps' exec,
        // and for the touch to be gone (forked, running, or a zombie until the shell reaps it)
        var deadline = DateTime.UtcNow.AddSeconds(20);
        var processes = store.Containers.Processes("top");
        while ((processes.Count(p => p.Command.StartsWith("sleep", StringComparison.Ordinal)) < 2
                || processes.Any(p => p.ContainerPid != 1 && !p.Command.StartsWith("sleep", StringComparison.Ordinal)))
               && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(50);
            processes = store.Containers.Processes("top");
        }
        Assert.Equal(3, processes.Count);
        Assert.Equal(1, processes[0].ContainerPid);
        Assert.Equal(info.Pid, processes[0].Pid);
        Assert.Equal(["sleep 1000", "sleep 1001"], processes.Skip(1).Select(p => p.Command).Order());
        Assert.All(processes.Skip(1), p => Assert.Equal(info.Pid, p.ParentPid));
        Assert.All(processes, p =>
        {
            Assert.Equal("top", p.ContainerName);
            Assert.NotEqual(p.Pid, p.ContainerPid);
            Assert.Equal(0u, p.UserId);
            Assert.True(p.MemoryRss > 0);
            // boot time plus clock ticks: btime is whole seconds, and an emulated kernel's ticks drift from its wall
            // clock (3 s seen on a loaded TCG guest); a wrong unit or epoch would be off by hours
            Assert.InRange(p.StartTime, info.StartedAt!.Value.AddSeconds(-30), DateTimeOffset.UtcNow.AddSeconds(30));
        });

        store.Containers.Stop("top", TimeSpan.FromSeconds(1));
        Assert.Equal("ContainerNotRunning", Assert.Throws<ContainerException>(() => store.Containers.Processes("top")).ErrorId);
    }

    [Fact]
    public void StatsCountMemoryCpuAndPids()
    {
        // 24 MB held in a shell variable and a spinning CPU
        var info = Start("busy", "x=$(head -c 25165824 /dev/zero | tr '\\0' a); (while true; do :; done) & touch /ready; wait",
            new ResourceLimits { Memory = 256 << 20 });
        // the shell and its spinning subshell, once touch is reaped
        var deadline = DateTime.UtcNow.AddSeconds(10);
        ContainerStats stats;
        while ((stats = store.Containers.Stats("busy")).Pids != 2)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{stats.Pids} pids");
            Thread.Sleep(20);
        }
        Assert.Equal(info.Id, stats.Id);
        Assert.Equal("busy", stats.Name);
        Assert.InRange(stats.MemoryUsage, 24L << 20, 200L << 20);
        Assert.Equal(256L << 20, stats.MemoryLimit);
        Assert.InRange(stats.MemoryPercent, 9, 80);
        Assert.True(stats.CpuTime > TimeSpan.Zero);

        // a stream measures each interval, not the time since start: the spinning loop gets
        // whatever share a loaded machine leaves it, but it spins, and never more than every CPU
        using var cancel = new CancellationTokenSource();
        var samples = new List<ContainerStats>();
        foreach (var batch in store.Containers.StreamStats([stats.Id], TimeSpan.FromMilliseconds(500), cancel.Token))
        {
            samples.AddRange(batch);
            if (samples.Count == 3)
                cancel.Cancel();
        }
        var (previous, last) = (samples[^2], samples[^1]);
        var interval = (last.SampledAt - previous.SampledAt).TotalSeconds;
        Assert.InRange(interval, 0.45, 60);
        Assert.Equal((last.CpuTime - previous.CpuTime).TotalSeconds / interval * 100, last.CpuPercent, 3);
        Assert.InRange(last.CpuPercent, 1, 100.0 * Environment.ProcessorCount + 10);
    }

    [Fact]
    public void StatsOfRunningSampleEachRunningOneNewestFirst()
    {
        Start("older", "touch /ready; exec sleep 1000");
        Start("newer", "touch /ready; exec sleep 1000");
        store.Containers.Create(new ContainerSpec { Image = TestStore.Image, Name = "created", Command = ["true"] });
        store.Containers.Create(new ContainerSpec { Image = TestStore.Image, Name = "ended", Command = ["true"] });
        store.Containers.Start("ended");
        store.Containers.Wait("ended", TimeSpan.FromSeconds(30));
        store.Containers.Pause("older", pause: true);

        var samples = store.Containers.StatsOfRunning();
        Assert.Equal(["newer", "older"], samples.Select(s => s.Name));
        Assert.All(samples, s => Assert.True(s.Pids >= 1 && s.MemoryUsage > 0, $"{s.Name}: {s.Pids} pids, {s.MemoryUsage} bytes"));

        // a stream of every running one takes in those that start later
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var rounds = new List<IReadOnlyList<ContainerStats>>();
        foreach (var round in store.Containers.StreamStats(null, TimeSpan.FromMilliseconds(100), cancel.Token))
        {
            rounds.Add(round);
            if (rounds.Count == 1)
                Start("later", "touch /ready; exec sleep 1000");
            else
                break;
        }
        Assert.Equal(["newer", "older"], rounds[0].Select(s => s.Name));
        Assert.Equal(["later", "newer", "older"], rounds[1].Select(s => s.Name));
    }

    [Fact]
    public void StatsCountBlockIo()
    {
        // 4 MB past the page cache: written to and read from the container's own layer where that is on
        // a disk (the build hosts); read from the scratch disk where it is not (the VM's tmpfs). Never written.
        var onDisk = Container.Runtime.Linux.FileStatus.DeviceOf(store.Root) is { Major: not 0 };
        store.Containers.Create(new ContainerSpec
        {
            Image = TestStore.Image, Name = "io", Privileged = !onDisk,
            Command = ["sh", "-c", (onDisk
                ? "dd if=/dev/zero of=/data bs=1M count=4 oflag=direct && dd if=/data of=/dev/null bs=1M iflag=direct"
                : "dd if=/dev/vda of=/dev/null bs=1M count=4 iflag=direct") + " && touch /ready; sleep 1000 & wait"],
        });
        store.Containers.Start("io");
        WaitUntilReady("io");
        var stats = store.Containers.Stats("io");
        Assert.True(stats.BlockRead >= 4 << 20, $"block reads: {stats.BlockRead}");
        if (onDisk)
            Assert.True(stats.BlockWrite >= 4 << 20, $"block writes: {stats.BlockWrite}");
    }

    [Fact]
    public void StatsWithoutALimitShowTheHostsMemory()
    {
        Start("unlimited", "touch /ready; exec sleep 1000");
        var hostMemory = long.Parse(File.ReadLines("/proc/meminfo").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        Assert.Equal(hostMemory, store.Containers.Stats("unlimited").MemoryLimit);
        // touch may linger a moment after making /ready
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (store.Containers.Stats("unlimited").Pids != 1)
        {
            Assert.True(DateTime.UtcNow < deadline, "the shell's children never went");
            Thread.Sleep(10);
        }
    }

    [Fact]
    public void NetworkCountersComeFromTheContainersNamespace()
    {
        var info = Start("networked", "touch /ready; exec sleep 1000");
        // a veth pair between the container's namespace and one this test makes: no traffic leaves either
        var peer = $"ctest{Environment.ProcessId % 100000}";
        Run("ip", "netns", "add", peer);
        try
        {
            Run("ip", "link", "add", "cveth0", "netns", info.Pid.ToString(), "type", "veth", "peer", "name", "pveth0", "netns", peer);
            Run("nsenter", $"--net=/proc/{info.Pid}/ns/net", "ip", "addr", "add", "10.254.77.1/30", "dev", "cveth0");
            Run("nsenter", $"--net=/proc/{info.Pid}/ns/net", "ip", "link", "set", "cveth0", "up");
            Run("ip", "-n", peer, "addr", "add", "10.254.77.2/30", "dev", "pveth0");
            Run("ip", "-n", peer, "link", "set", "pveth0", "up");
            var before = store.Containers.Stats("networked");
            Run("ip", "netns", "exec", peer, "busybox", "ping", "-c", "3", "-i", "0.2", "-s", "1000", "10.254.77.1");
            var after = store.Containers.Stats("networked");
            Assert.True(after.NetReceived - before.NetReceived >= 3000, $"received {before.NetReceived} -> {after.NetReceived}");
            Assert.True(after.NetSent - before.NetSent >= 3000, $"sent {before.NetSent} -> {after.NetSent}");
        }
        finally
        {
            ProcessRunner.Run("ip", ["netns", "delete", peer]);
        }
    }

    private static void Run(string program, params string[] args)
    {
        var result = ProcessRunner.Run(program, args);
        Assert.True(result.Succeeded, $"{program} {string.Join(' ', args)}: {result.ErrorText}");
    }

    [Fact]
    public void LimitsChangeLiveAndHoldAfterARestart()
    {
        Start("elastic", "touch /ready; exec sleep 1000", new ResourceLimits { Memory = 64 << 20, PidsLimit = 20 });
        var plan = store.Containers.PlanLimits("elastic", new ResourceLimits { Memory = 128 << 20, Cpus = 0.5, CpuShares = 512 });
        Assert.Empty(plan.Warnings);
        Assert.Contains("Memory: 64MiB -> 128MiB", plan.Description);
        Assert.Contains("Cpus: (none) -> 0.5", plan.Description);
        Assert.DoesNotContain("PidsLimit", plan.Description);
        // planning changes nothing
        Assert.Equal("67108864", CgroupFile("elastic", "memory/memory.limit_in_bytes", "memory.max"));

        var now = store.Containers.ApplyLimits("elastic", new ResourceLimits { Memory = 128 << 20, Cpus = 0.5, CpuShares = 512, PidsLimit = 40 }).Limits;
        Assert.Equal(128L << 20, now.Memory);
        Assert.Equal(0.5, now.Cpus);
        Assert.Equal(40, now.PidsLimit);
        string Current() => string.Join(' ',
            CgroupFile("elastic", "memory/memory.limit_in_bytes", "memory.max"),
            CgroupFile("elastic", "cpu/cpu.cfs_quota_us", "cpu.max"),
            CgroupFile("elastic", "pids/pids.max", "pids.max"),
            CgroupFile("elastic", "cpu/cpu.shares", "cpu.weight"));
        var expected = IsCgroupV2 ? "134217728 50000 100000 40 20" : "134217728 50000 40 512";
        Assert.Equal(expected, Current());
        Assert.Equal(128L << 20, store.Containers.Stats("elastic").MemoryLimit);

        store.Containers.Stop("elastic", TimeSpan.FromSeconds(1));
        store.Containers.Start("elastic");
        Assert.Equal(expected, Current());
        Assert.Equal(128L << 20, store.Containers.Limits("elastic").Limits.Memory);
    }

    /// <summary>Each limit, and what the file that shows it (the table's, on v1 and v2) says for the two sets of values below.</summary>
    private static readonly (Limit Limit, string First, string FirstV2, string Second, string SecondV2)[] EveryLimitFile =
    [
        (LimitTable.Memory, "67108864", "67108864", "100663296", "100663296"),
        (LimitTable.MemorySwap, "134217728", "67108864", "201326592", "100663296"),
        (LimitTable.MemoryReservation, "33554432", "33554432", "50331648", "50331648"),
        (LimitTable.Cpus, "150000", "150000 100000", "50000", "50000 100000"),
        (LimitTable.CpuShares, "512", "20", "2048", "79"),
        (LimitTable.CpusetCpus, "0", "0", "0-1", "0-1"),
        (LimitTable.CpusetMems, "0", "0", "0", "0"),
        (LimitTable.PidsLimit, "20", "20", "30", "30"),
        (LimitTable.DeviceReadBps, "254:0 1048576", "254:0 rbps=1048576 wbps=2097152 riops=100 wiops=200",
            "254:0 3145728", "254:0 rbps=3145728 wbps=2097152 riops=100 wiops=400"),
        (LimitTable.DeviceWriteBps, "254:0 2097152", "254:0 rbps=1048576 wbps=2097152 riops=100 wiops=200",
            "254:0 2097152", "254:0 rbps=3145728 wbps=2097152 riops=100 wiops=400"),
        (LimitTable.DeviceReadIops, "254:0 100", "254:0 rbps=1048576 wbps=2097152 riops=100 wiops=200",
            "254:0 100", "254:0 rbps=3145728 wbps=2097152 riops=100 wiops=400"),
        (LimitTable.DeviceWriteIops, "254:0 200", "254:0 rbps=1048576 wbps=2097152 riops=100 wiops=200",
            "254:0 400", "254:0 rbps=3145728 wbps=2097152 riops=100 wiops=400"),
    ];

    [Fact]
    public void EveryLimitReachesTheCgroupAtStartAndLive()
    {
        const string disk = "/dev/vda"; // the build hosts' disk, and the VM's scratch disk
        Assert.True(File.Exists(disk), $"{disk} is needed for the block IO throttles");
        Start("everything", "touch /ready; exec sleep 1000", new ResourceLimits
        {
            Memory = 64 << 20, MemorySwap = 128 << 20, MemoryReservation = 32 << 20, Cpus = 1.5, CpuShares = 512,
            CpusetCpus = "0", CpusetMems = "0", PidsLimit = 20,
            DeviceReadBps = new Dictionary<string, ulong> { [disk] = 1 << 20 }, DeviceWriteBps = new Dictionary<string, ulong> { [disk] = 2 << 20 },
            DeviceReadIops = new Dictionary<string, ulong> { [disk] = 100 }, DeviceWriteIops = new Dictionary<string, ulong> { [disk] = 200 },
        });
        foreach (var file in EveryLimitFile)
            Assert.Equal(IsCgroupV2 ? file.FirstV2 : file.First, CgroupFile("everything", file.Limit.V1File, file.Limit.V2File!));

        var now = store.Containers.ApplyLimits("everything", new ResourceLimits
        {
            Memory = 96 << 20, MemorySwap = 192 << 20, MemoryReservation = 48 << 20, Cpus = 0.5, CpuShares = 2048,
            CpusetCpus = Environment.ProcessorCount > 1 ? "0-1" : "0", PidsLimit = 30,
            DeviceReadBps = new Dictionary<string, ulong> { [disk] = 3 << 20 }, DeviceWriteIops = new Dictionary<string, ulong> { [disk] = 400 },
        }).Limits;
        foreach (var file in EveryLimitFile.Where(f => Environment.ProcessorCount > 1 || f.Limit != LimitTable.CpusetCpus))
            Assert.Equal(IsCgroupV2 ? file.SecondV2 : file.Second, CgroupFile("everything", file.Limit.V1File, file.Limit.V2File!));
        // the throttles not changed stay
        Assert.Equal((ulong)2 << 20, now.DeviceWriteBps![disk]);
        Assert.Equal(100UL, now.DeviceReadIops![disk]);
        Assert.Equal("/dev/vda=3MiB/s", ResourceLimits.Describe(now).Single(d => d.Name == "DeviceReadBps").Value);
    }

    [Fact]
    public void BlockIoWeightIsUsedWhereTheKernelHasIt()
    {
        var limits = new ResourceLimits { BlkioWeight = 300 };
        if (!Container.Runtime.Cgroups.CgroupHierarchy.Host.HasBlockIoWeight)
        {
            var refused = Assert.Throws<ContainerException>(() => store.Containers.Create(new ContainerSpec
                { Image = TestStore.Image, Name = "weighed", Command = ["true"], Limits = limits }));
            Assert.Equal("InvalidLimit", refused.ErrorId);
            Assert.Empty(store.Containers.List());
            return;
        }
        Start("weighed", "touch /ready; exec sleep 1000", limits);
        var weight = CgroupFile("weighed", "blkio/blkio.bfq.weight", "io.weight");
        Assert.Contains(IsCgroupV2 ? "default " : "", weight);
        store.Containers.ApplyLimits("weighed", new ResourceLimits { BlkioWeight = 500 });
        Assert.NotEqual(weight, CgroupFile("weighed", "blkio/blkio.bfq.weight", "io.weight"));
    }

    [Fact]
    public void AStoppedContainersLimitsChangeForItsNextStart()
    {
        store.Containers.Create(new ContainerSpec { Image = TestStore.Image, Name = "later", Command = ["sh", "-c", "touch /ready; exec sleep 1000"] });
        Assert.Equal(30, store.Containers.ApplyLimits("later", new ResourceLimits { PidsLimit = 30 }).Limits.PidsLimit);
        store.Containers.Start("later");
        WaitUntilReady("later");
        Assert.Equal("30", CgroupFile("later", "pids/pids.max", "pids.max"));
    }

    [Fact]
    public void AMemoryLimitUnderTheUsageWarns()
    {
        // 16 MiB in its /dev/shm: charged to its cgroup, and quick to write even in an emulated VM
        Start("hungry", "head -c 16777216 /dev/zero > /dev/shm/fill; touch /ready; exec sleep 1000");
        var plan = store.Containers.PlanLimits("hungry", new ResourceLimits { Memory = 8 << 20 });
        Assert.Contains(plan.Warnings, w => w.Contains("below what container 'hungry' uses now"));
    }

    [Fact]
    public void BadLimitsChangeNothing()
    {
        Start("steady", "touch /ready; exec sleep 1000", new ResourceLimits { Memory = 64 << 20 });
        var bundle = File.ReadAllText(Path.Combine(store.Containers.Get("steady").Path, "config.json"));
        Assert.Equal("InvalidLimit", Assert.Throws<ContainerException>(() =>
            store.Containers.ApplyLimits("steady", new ResourceLimits { Memory = 1024 })).ErrorId);
        Assert.Equal("InvalidLimit", Assert.Throws<ContainerException>(() =>
            store.Containers.ApplyLimits("steady", new ResourceLimits { Cpus = 1000 })).ErrorId);
        Assert.Equal("InvalidLimit", Assert.Throws<ContainerException>(() =>
            store.Containers.ApplyLimits("steady", new ResourceLimits { CpusetCpus = "999" })).ErrorId);
        Assert.Equal(bundle, File.ReadAllText(Path.Combine(store.Containers.Get("steady").Path, "config.json")));
        Assert.Equal("67108864", CgroupFile("steady", "memory/memory.limit_in_bytes", "memory.max"));
        Assert.Empty(Directory.GetFiles(store.Containers.Get("steady").Path, "update-*"));
    }

    [SkippableFact]
    public void SwappinessReachesTheCgroupAtStartLiveAndAfterARestart()
    {
        Skip.If(IsCgroupV2, "cgroup v2 has no memory.swappiness: there it is refused (LimitTableTests)");
        var file = LimitTable.MemorySwappiness.V1File;
        Start("swapper", "touch /ready; exec sleep 1000", new ResourceLimits { Memory = 64 << 20, MemorySwappiness = 10 });
        Assert.Equal("10", CgroupFile("swapper", file, ""));

        var plan = store.Containers.PlanLimits("swapper", new ResourceLimits { MemorySwappiness = 30 });
        Assert.Equal("MemorySwappiness: 10 -> 30", plan.Description);
        Assert.Equal("10", CgroupFile("swapper", file, ""));
        Assert.Equal(30UL, store.Containers.ApplyLimits(plan).Limits.MemorySwappiness);
        Assert.Equal("30", CgroupFile("swapper", file, ""));
        Assert.Equal("64MiB", ResourceLimits.Describe(store.Containers.Limits("swapper").Limits).Single(d => d.Name == "Memory").Value);

        store.Containers.Stop("swapper", TimeSpan.FromSeconds(1));
        store.Containers.Start("swapper");
        WaitUntilReady("swapper");
        Assert.Equal("30", CgroupFile("swapper", file, ""));
        Assert.Equal(30UL, store.Containers.Limits("swapper").Limits.MemorySwappiness);
    }

    [SkippableFact]
    public void SwappinessIsRefusedAtCreationOnCgroupV2()
    {
        Skip.IfNot(IsCgroupV2, "this host runs cgroup v1, which has memory.swappiness");
        var refused = Assert.Throws<ContainerException>(() => store.Containers.Create(new ContainerSpec
            { Image = TestStore.Image, Name = "swapper", Command = ["true"], Limits = new ResourceLimits { MemorySwappiness = 10 } }));
        Assert.Equal("InvalidLimit", refused.ErrorId);
        Assert.Empty(store.Containers.List());
    }

    [Fact]
    public void APlanIsAppliedAsConfirmedOrNotAtAll()
    {
        Start("planned", "touch /ready; exec sleep 1000", new ResourceLimits { Memory = 64 << 20 });
        var confirmed = store.Containers.PlanLimits("planned", new ResourceLimits { Memory = 128 << 20 });
        // another session changes the limits between the plan and its confirmation
        store.Containers.ApplyLimits(store.Containers.PlanLimits("planned", new ResourceLimits { Memory = 96 << 20, PidsLimit = 30 }));
        var bundle = File.ReadAllText(Path.Combine(store.Containers.Get("planned").Path, "config.json"));

        var stale = Assert.Throws<ContainerException>(() => store.Containers.ApplyLimits(confirmed));
        Assert.Equal("LimitsChangedSincePlanned", stale.ErrorId);
        Assert.Equal(ErrorKind.InvalidOperation, stale.Kind);
        Assert.Equal(bundle, File.ReadAllText(Path.Combine(store.Containers.Get("planned").Path, "config.json")));
        Assert.Equal("100663296", CgroupFile("planned", "memory/memory.limit_in_bytes", "memory.max"));

        // planned again, on what is there now: it keeps the other session's pids limit
        var again = store.Containers.PlanLimits("planned", new ResourceLimits { Memory = 128 << 20 });
        Assert.Equal("Memory: 96MiB -> 128MiB", again.Description);
        var now = store.Containers.ApplyLimits(again).Limits;
        Assert.Equal(30, now.PidsLimit);
        Assert.Equal("134217728", CgroupFile("planned", "memory/memory.limit_in_bytes", "memory.max"));
    }
}
