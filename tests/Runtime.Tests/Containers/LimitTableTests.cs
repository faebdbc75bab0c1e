using System.Collections;
using System.Text;
using Container.Runtime;
using Container.Runtime.Containers;
using Container.Runtime.Errors;
using Container.Runtime.Oci;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Containers;

/// <summary>The limits' one table: each limit read as a cmdlet gives it, written to the bundle, read back and shown.</summary>
public sealed class LimitTableTests
{
    private const string Disk = "/dev/vda"; // the build hosts' disk, and the VM's scratch disk

    private static LimitArguments Given(params (string Name, object Value)[] parameters) =>
        new(parameters.ToDictionary(p => p.Name, p => p.Value));

    /// <summary>Each limit as its parameter binds it, as a user reads it back, and what it makes of linux.resources.</summary>
    private static readonly (string Name, object Given, string Described, string InBundle)[] EveryLimit =
    [
        ("Memory", "64m", "64MiB", "\"memory\":{\"limit\":67108864"),
        ("MemorySwap", "-1", "unlimited", "\"swap\":-1"),
        ("MemoryReservation", "32MB", "32MiB", "\"reservation\":33554432"),
        ("MemorySwappiness", 10L, "10", "\"swappiness\":10"),
        ("Cpus", 1.5, "1.5", "\"cpu\":{\"quota\":150000,\"period\":100000"),
        ("CpuShares", 512L, "512", "\"shares\":512"),
        ("CpusetCpus", "0", "0", "\"cpus\":\"0\""),
        ("CpusetMems", "0", "0", "\"mems\":\"0\""),
        ("PidsLimit", 20L, "20", "\"pids\":{\"limit\":20}"),
        ("BlkioWeight", 300L, "300", "\"blockIO\":{\"weight\":300"),
        ("DeviceReadBps", new Hashtable { [Disk] = "1mb" }, $"{Disk}=1MiB/s", "\"throttleReadBpsDevice\":[{\"major\":254,\"minor\":0,\"rate\":1048576}]"),
        ("DeviceWriteBps", new Hashtable { [Disk] = 2097152L }, $"{Disk}=2MiB/s", "\"throttleWriteBpsDevice\":[{\"major\":254,\"minor\":0,\"rate\":2097152}]"),
        ("DeviceReadIops", new Hashtable { [Disk] = 100 }, $"{Disk}=100/s", "\"throttleReadIOPSDevice\":[{\"major\":254,\"minor\":0,\"rate\":100}]"),
        ("DeviceWriteIops", new Hashtable { [Disk] = "200" }, $"{Disk}=200/s", "\"throttleWriteIOPSDevice\":[{\"major\":254,\"minor\":0,\"rate\":200}]"),
    ];

    [Fact]
    public void TheTableHasEachLimitOnceAndThisTestChecksEveryOne()
    {
        Assert.Equal(LimitTable.All.Count, LimitTable.All.Select(l => l.Name).Distinct().Count());
        Assert.Equal(LimitTable.All.Select(l => l.Name), EveryLimit.Select(l => l.Name));
    }

    [SkippableFact]
    public void EveryLimitGoesToTheBundleAndReadsBackAsItWasGiven()
    {
        Skip.IfNot(File.Exists(Disk), $"{Disk} (254:0) is the block device the throttles name");
        foreach (var (name, given, described, inBundle) in EveryLimit)
        {
            var limits = Given((name, given)).ToLimits()!;
            var resources = new ResourcesSpec();
            limits.ApplyTo(resources);
            Assert.Contains(inBundle, Encoding.UTF8.GetString(Json.Serialize(resources)));
            var back = ResourceLimits.From(resources);
            Assert.Equal(new[] { (name, described) }, ResourceLimits.Describe(back).Where(d => d.Value != "(none)"));
            Assert.Equal([$"{name}={described}"], new ContainerLimits { Id = "0123456789ab", Name = "c", Limits = back }.Settings);
        }
    }

    [Fact]
    public void NoLimitIsGivenWhenNoValueIs()
    {
        Assert.Null(Given(("Name", "web")).ToLimits());
        // an empty map names no device
        Assert.Null(Given(("DeviceReadBps", new Hashtable())).ToLimits());
        Assert.Equal(0UL, Given(("MemorySwappiness", 0L)).ToChange().MemorySwappiness);
        Assert.Equal(["(none)"], new ContainerLimits { Id = "0123456789ab", Name = "c", Limits = new ResourceLimits() }.Settings);
    }

    [Fact]
    public void AChangeSetsWhatItNamesAndKeepsTheRest()
    {
        var before = new ResourceLimits
        {
            Memory = 64 << 20, MemorySwappiness = 10, PidsLimit = 20,
            DeviceReadBps = new Dictionary<string, ulong> { ["/dev/vda"] = 1 << 20, ["/dev/vdb"] = 2 << 20 },
        };
        var after = before.With(new ResourceLimits
        {
            MemorySwappiness = 30, Cpus = 0.5, DeviceReadBps = new Dictionary<string, ulong> { ["/dev/vdb"] = 3 << 20 },
        });
        Assert.Equal(64L << 20, after.Memory);
        Assert.Equal(30UL, after.MemorySwappiness);
        Assert.Equal(0.5, after.Cpus);
        Assert.Equal(20, after.PidsLimit);
        Assert.Equal(new Dictionary<string, ulong> { ["/dev/vda"] = 1 << 20, ["/dev/vdb"] = 3 << 20 }, after.DeviceReadBps);
    }

    [Fact]
    public void SwappinessIsFromZeroToOneHundred()
    {
        Assert.Equal("InvalidLimit", Assert.Throws<ContainerException>(() => Given(("MemorySwappiness", -1L)).ToLimits()).ErrorId);
        var tooMuch = Assert.Throws<ContainerException>(() => new ResourceLimits { MemorySwappiness = 101 }.Validate(new FakeCgroups()));
        Assert.Equal("InvalidLimit", tooMuch.ErrorId);
        Assert.Contains("MemorySwappiness", tooMuch.Message);
    }

    [Fact]
    public void SwappinessIsRefusedOnCgroupV2()
    {
        var refused = Assert.Throws<ContainerException>(() => new ResourceLimits { MemorySwappiness = 10 }.Validate(new FakeCgroups { UnifiedOnly = true }));
        Assert.Equal("InvalidLimit", refused.ErrorId);
        Assert.Contains("cgroup v2 does not have", refused.Message);
        new ResourceLimits { MemorySwappiness = 10 }.Validate(new FakeCgroups());
    }
}
