using Container.Runtime.Containers;
using Container.Runtime.Errors;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Containers;

/// <summary>What New-Container's options do inside the container, on the real kernel.</summary>
[Trait("Category", "Kernel")]
public sealed class ContainerOptionsTests : IDisposable
{
    private readonly TestStore store = new();

    public void Dispose() => store.Dispose();

    private static bool IsCgroupV2 => File.Exists("/sys/fs/cgroup/cgroup.controllers");

    private (ContainerInfo Container, string Output) Run(ContainerSpec spec)
    {
        store.Containers.Create(spec);
        store.Containers.Start(spec.Name!);
        var exited = store.Containers.Wait(spec.Name!, TimeSpan.FromSeconds(30));
        return (exited, store.Output(spec.Name!));
    }

    private static ContainerSpec Spec(string name, string script) => new() { Image = TestStore.Image, Name = name, Command = ["sh", "-c", script] };

    [Fact]
    public void LimitsReachTheCgroup()
    {
        var spec = Spec("limited", IsCgroupV2
            ? "cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/cpu.max /sys/fs/cgroup/pids.max /sys/fs/cgroup/cpu.weight /sys/fs/cgroup/cpuset.cpus"
            : "cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/pids/pids.max /sys/fs/cgroup/cpu/cpu.shares /sys/fs/cgroup/cpuset/cpuset.cpus");
        spec = new ContainerSpec
        {
            Image = spec.Image, Name = spec.Name, Command = spec.Command,
            Limits = new ResourceLimits
            {
                Memory = ResourceLimits.ParseSize("64m", "Memory"),
                Cpus = ResourceLimits.ParseCpus("1.5"),
                PidsLimit = 50,
                CpuShares = 512,
                CpusetCpus = "0",
            },
        };
        var (_, output) = Run(spec);
        Assert.Equal(IsCgroupV2 ? "67108864\n150000 100000\n50\n20\n0" : "67108864\n150000\n50\n512\n0", output);
    }

    [Theory]
    [InlineData("67108864", 67108864)]
    [InlineData("64m", 67108864)]
    [InlineData("64MB", 67108864)]
    [InlineData("1g", 1073741824)]
    [InlineData("1.5G", 1610612736)]
    [InlineData("512k", 524288)]
    [InlineData("-1", -1)]
    public void SizesReadInDockersAndPowerShellsUnits(string text, long bytes) => Assert.Equal(bytes, ResourceLimits.ParseSize(text, "Memory"));

    [Theory]
    [InlineData("lots")]
    [InlineData("12q")]
    [InlineData("-5m")]
    public void BadSizesAreInvalidLimits(string text)
    {
        var e = Assert.Throws<ContainerException>(() => ResourceLimits.ParseSize(text, "Memory"));
        Assert.Equal("InvalidLimit", e.ErrorId);
        Assert.Contains("Memory", e.Message);
    }

    [Fact]
    public void LimitsAreCheckedBeforeAnythingIsMade()
    {
        var cases = new[]
        {
            new ResourceLimits { Memory = 1024 },
            new ResourceLimits { Memory = 64 << 20, MemorySwap = 32 << 20 },
            new ResourceLimits { MemorySwap = 64 << 20 },
            new ResourceLimits { CpuShares = 1 },
            new ResourceLimits { BlkioWeight = 5 },
            new ResourceLimits { PidsLimit = 0 },
            new ResourceLimits { CpusetCpus = "zero" },
        };
        foreach (var limits in cases)
        {
            var e = Assert.Throws<ContainerException>(() => store.Containers.Create(new ContainerSpec { Image = TestStore.Image, Name = "bad", Limits = limits }));
            Assert.Equal("InvalidLimit", e.ErrorId);
        }
        Assert.Empty(store.Containers.List());
    }

    [Fact]
    public void CapabilitiesAreAddedAndDropped()
    {
        var (_, output) = Run(new ContainerSpec
        {
            Image = TestStore.Image, Name = "caps", Command = ["sh", "-c", "grep CapBnd /proc/self/status"],
            CapAdd = ["NET_ADMIN"], CapDrop = ["CAP_CHOWN", "kill"],
        });
        var mask = Convert.ToUInt64(output.Split('\t')[1], 16);
        Assert.NotEqual(0UL, mask & (1UL << 12)); // NET_ADMIN
        Assert.Equal(0UL, mask & 1UL);           // CHOWN
        Assert.Equal(0UL, mask & (1UL << 5));     // KILL
        Assert.NotEqual(0UL, mask & (1UL << 27)); // MKNOD stays

        var e = Assert.Throws<ContainerException>(() => store.Containers.Create(new ContainerSpec { Image = TestStore.Image, Name = "x", CapAdd = ["FLY"] }));
        Assert.Equal("InvalidCapability", e.ErrorId);
    }

    [Fact]
    public void PrivilegedHasEverythingAndNoFilter()
    {
        var disk = Directory.GetFiles("/dev").First(f => Container.Runtime.Linux.FileStatus.BlockDevice(f) != null);
        var (_, output) = Run(new ContainerSpec
        {
            Image = TestStore.Image, Name = "priv", Privileged = true,
            Command = ["sh", "-c", "grep -E 'CapEff|Seccomp:' /proc/self/status; wc -c < /proc/timer_list | tr -d ' '; touch /sys/fs/cgroup/x 2>&1 | grep -c 'Read-only'; " +
                      $"test -b {disk} && echo has {disk}"],
        });
        var lines = output.Split('\n');
        // every capability this host lets a process hold
        var held = File.ReadAllLines("/proc/self/status").First(l => l.StartsWith("CapBnd:")).Split('\t')[1];
        Assert.Equal($"CapEff:\t{held}", lines[0]);
        Assert.Equal("Seccomp:\t0", lines[1]);
        Assert.NotEqual("0", lines[2]); // nothing masked
        Assert.Equal("0", lines[3]);    // /sys is writable
        Assert.Equal($"has {disk}", lines[4]); // the host's devices are there // the host's devices are there
    }

    [Fact]
    public void ReadOnlyRootfsCannotBeWrittenButTmpfsCan()
    {
        var (_, output) = Run(new ContainerSpec
        {
            Image = TestStore.Image, Name = "ro", ReadOnlyRootfs = true,
            Command = ["sh", "-c", "touch /x 2>&1 | grep -c Read-only; touch /dev/shm/y && echo shm-ok"],
        });
        Assert.Equal("1\nshm-ok", output);
    }

    [Fact]
    public void UsersResolveInTheImagesOwnFiles()
    {
        var (_, byName) = Run(new ContainerSpec { Image = TestStore.Image, Name = "nobody", User = "nobody", Command = ["id"] });
        Assert.Equal("uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)", byName);
        var (_, byIds) = Run(new ContainerSpec { Image = TestStore.Image, Name = "ids", User = "1234:root", Command = ["id"] });
        Assert.Equal("uid=1234 gid=0(root) groups=0(root)", byIds);
        var e = Assert.Throws<ContainerException>(() => store.Containers.Create(new ContainerSpec { Image = TestStore.Image, Name = "nouser", User = "ghost" }));
        Assert.Equal("UnknownUser", e.ErrorId);
    }

    [Fact]
    public void EnvironmentGetsTheHostname()
    {
        var (_, output) = Run(new ContainerSpec { Image = TestStore.Image, Name = "envy", Hostname = "named-host", Command = ["sh", "-c", "echo $HOSTNAME; hostname"] });
        Assert.Equal("named-host\nnamed-host", output);
    }

    [Fact]
    public void ATtyContainerLogsItsTerminal()
    {
        var (container, output) = Run(new ContainerSpec { Image = TestStore.Image, Name = "tty", Tty = true, Command = ["sh", "-c", "tty; echo $TERM; printf 'no newline at the end'"] });
        Assert.Equal(0, container.ExitCode);
        Assert.Equal("/dev/pts/0\nxterm\nno newline at the end", output);
        Assert.All(store.Containers.ReadLog("tty"), e => Assert.Equal(Container.Runtime.Logs.LogStream.Stdout, e.Stream));
    }

    [Fact]
    public void AnInteractiveContainerKeepsItsStdinOpen()
    {
        store.Containers.Create(new ContainerSpec { Image = TestStore.Image, Name = "reader", Interactive = true, Command = ["sh", "-c", "read line; echo got $line"] });
        var shell = store.Containers.Start("reader").Pid;
        // ash's read polls its stdin, then reads it: blocked there on a pipe that stays open. On
        // /dev/null both would have returned at once, and the container would be gone
        Assert.StartsWith("pipe:", new FileInfo($"/proc/{shell}/fd/0").LinkTarget);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (File.ReadAllText($"/proc/{shell}/syscall").Split(' ') is not (["7", ..] or ["0", "0x0", ..]))
        {
            Assert.True(DateTime.UtcNow < deadline, "the shell never waited on its stdin");
            Thread.Sleep(10);
        }
        Assert.Equal(ContainerStatus.Running, store.Containers.Get("reader").Status);
        store.Containers.Stop("reader", TimeSpan.Zero, force: true);
    }

    [Fact]
    public void AnOomKillIsRecorded()
    {
        var (container, _) = Run(new ContainerSpec
        {
            Image = TestStore.Image, Name = "hog",
            Limits = new ResourceLimits { Memory = 16 << 20, MemorySwap = 16 << 20 },
            // dd's block buffer is allocated at once: 64 MB in a 16 MB cgroup
            Command = ["dd", "if=/dev/zero", "of=/dev/null", "bs=64M", "count=1"],
        });
        Assert.Equal(137, container.ExitCode);
        Assert.True(container.OomKilled);
    }
}
