using Container.Runtime.Oci;
using Xunit;

namespace Container.Tests.Conformance;

/// <summary>
/// The rest of linux.resources, read back from inside the container (in a cgroup namespace)
/// under ours and the peers: block IO throttles, memory reservation and swappiness on v1;
/// unified, hugepages and io on v2.
/// </summary>
[Trait("Category", "Kernel")]
public sealed class ResourceConformanceTests
{
    private static bool IsCgroupV2 => File.Exists("/sys/fs/cgroup/cgroup.controllers");

    /// <summary>major:minor of the first real disk, for throttles.</summary>
    private static (long Major, long Minor) Disk()
    {
        var disk = Directory.GetDirectories("/sys/block").Select(Path.GetFileName)
            .First(n => !n!.StartsWith("loop") && !n.StartsWith("ram") && !n.StartsWith("zram") && !n.StartsWith("nbd"));
        var numbers = File.ReadAllText($"/sys/block/{disk}/dev").Trim().Split(':');
        return (long.Parse(numbers[0]), long.Parse(numbers[1]));
    }

    private static string RunEverywhere(RuntimeSpec spec)
    {
        spec.Linux.Namespaces.Add(new NamespaceSpec { Type = "cgroup" });
        using var bundle = new Bundle(spec);
        var ours = bundle.Run(Oci.Ours);
        Assert.True(ours.Succeeded, ours.StandardError);
        foreach (var peer in Oci.Peers)
        {
            var theirs = bundle.Run(peer);
            Assert.True(theirs.Succeeded, $"{peer}: {theirs.StandardError}");
            Assert.Equal(theirs.StandardOutput, ours.StandardOutput);
        }
        return ours.StandardOutput;
    }

    [Fact]
    public void BlockIoThrottlesAgree()
    {
        var (major, minor) = Disk();
        var spec = Bundle.DefaultSpec("sh", "-c", IsCgroupV2
            ? "cat /sys/fs/cgroup/io.max"
            : "cat /sys/fs/cgroup/blkio/blkio.throttle.read_bps_device /sys/fs/cgroup/blkio/blkio.throttle.write_iops_device");
        spec.Linux.Resources!.BlockIo = new BlockIoSpec
        {
            ThrottleReadBpsDevice = [new ThrottleDeviceSpec { Major = major, Minor = minor, Rate = 1048576 }],
            ThrottleWriteIopsDevice = [new ThrottleDeviceSpec { Major = major, Minor = minor, Rate = 100 }],
        };
        var text = RunEverywhere(spec);
        Assert.Equal(IsCgroupV2 ? $"{major}:{minor} rbps=1048576 wbps=max riops=max wiops=100\n" : $"{major}:{minor} 1048576\n{major}:{minor} 100\n", text);
    }

    [SkippableFact]
    public void MemoryReservationAndSwappinessAgreeOnV1()
    {
        Skip.If(IsCgroupV2, "swappiness does not exist on cgroup v2; the reservation is memory.low, checked on v2");
        var spec = Bundle.DefaultSpec("cat", "/sys/fs/cgroup/memory/memory.soft_limit_in_bytes", "/sys/fs/cgroup/memory/memory.swappiness");
        spec.Linux.Resources!.Memory = new MemorySpec { Limit = 128 << 20, Reservation = 64 << 20, Swappiness = 10 };
        Assert.Equal("67108864\n10\n", RunEverywhere(spec));
    }

    [SkippableFact]
    public void UnifiedHugepagesAndReservationAgreeOnV2()
    {
        Skip.IfNot(IsCgroupV2, "unified needs cgroup v2; this host's hugetlb is not a v1 hierarchy");
        var spec = Bundle.DefaultSpec("cat", "/sys/fs/cgroup/memory.high", "/sys/fs/cgroup/memory.low", "/sys/fs/cgroup/hugetlb.2MB.max");
        spec.Linux.Resources!.Memory = new MemorySpec { Limit = 128 << 20, Reservation = 32 << 20 };
        spec.Linux.Resources.Unified = new Dictionary<string, string> { ["memory.high"] = "100663296" };
        spec.Linux.Resources.HugepageLimits = [new HugepageLimitSpec { PageSize = "2MB", Limit = 4194304 }];
        Assert.Equal("100663296\n33554432\n4194304\n", RunEverywhere(spec));
    }

    [SkippableFact]
    public void UnifiedIsRefusedOnV1WithAReason()
    {
        Skip.If(IsCgroupV2, "on cgroup v2 unified is taken");
        var spec = Bundle.DefaultSpec("true");
        spec.Linux.Resources!.Unified = new Dictionary<string, string> { ["memory.high"] = "100000000" };
        using var bundle = new Bundle(spec);
        var result = bundle.Run(Oci.Ours);
        Assert.False(result.Succeeded);
        Assert.Contains("needs cgroup v2", result.StandardError);
        Assert.Empty(Directory.EnumerateFileSystemEntries(bundle.StateRoot));
    }
}
