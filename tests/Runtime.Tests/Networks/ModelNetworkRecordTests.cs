using Container.Runtime;
using Container.Runtime.Errors;
using Container.Runtime.Networks;
using Container.Runtime.Storage;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Networks;

/// <summary>Networks as records under the store: made, checked, found, persisted, removed. No kernel: nothing here makes a bridge.</summary>
public sealed class ModelNetworkRecordTests : IDisposable
{
    private readonly FakeHostStore store = new();

    public void Dispose() => store.Dispose();

    private NetworkService Networks => store.Engine.Networks;

    /// <summary>Another session's engine on the same store: it reads only what was written.</summary>
    private NetworkService Fresh() => new ContainerEngine(store.Paths, store.Host.Seams).Networks;

    [Fact]
    public void TheDefaultNetworkIsMadeOnFirstUseAsPodmansIs()
    {
        Assert.False(Directory.Exists(store.Paths.NetworkDir("bridge")));

        var bridge = Networks.Get("bridge");

        Assert.Equal(("bridge", "bridge", "container0", "10.88.0.0/16", "10.88.0.1", 1500, false), (bridge.Name, bridge.Driver, bridge.Bridge, bridge.Subnet, bridge.Gateway, bridge.Mtu, bridge.Internal));
        Assert.True(File.Exists(Path.Combine(store.Paths.NetworkDir("bridge"), "network.json")));
        Assert.Equal(bridge.Id, Fresh().Get("bridge").Id);
        Assert.Equal(["bridge"], Networks.List().Select(n => n.Name));
    }

    [Fact]
    public void ANetworkKeepsWhatItWasMadeWith()
    {
        var made = Networks.Create(new NetworkSpec
        {
            Name = "backend", Subnet = "10.20.0.0/16", Gateway = "10.20.0.254", IPRange = "10.20.5.0/24", Internal = true,
            Labels = new Dictionary<string, string> { ["tier"] = "db" }, Mtu = 9000, Subnet6 = "fd00:20::/64", Gateway6 = "fd00:20::fe",
        });

        var read = Fresh().Get("backend");
        Assert.Equal(made.Id, read.Id);
        Assert.Equal("ctr-" + made.Id[..8], read.Bridge);
        Assert.True(read.Bridge.Length <= 15);
        Assert.Equal(("10.20.0.0/16", "10.20.0.254", "10.20.5.0/24", true, 9000), (read.Subnet, read.Gateway, read.IPRange, read.Internal, read.Mtu));
        Assert.Equal(("fd00:20::/64", "fd00:20::fe"), (read.Subnet6, read.Gateway6));
        Assert.Equal("fd00:21::1", Networks.Create(new NetworkSpec { Name = "dual", Subnet6 = "fd00:21::/64" }).Gateway6);
        Assert.Equal("SubnetOverlaps", Assert.Throws<ContainerException>(() => Networks.Create(new NetworkSpec { Name = "v6-overlap", Subnet6 = "fd00:20::/48" })).ErrorId);
        Assert.Equal("AddressOutsideSubnet", Assert.Throws<ContainerException>(() => Networks.Create(new NetworkSpec { Name = "v6-gateway", Subnet6 = "fd00:22::/64", Gateway6 = "fd00:23::1" })).ErrorId);
        Assert.Equal("db", read.Labels["tier"]);
        Assert.Equal(read.Id, Networks.Get(read.Id[..6]).Id);
    }

    [Fact]
    public void ANetworkWithoutASubnetGetsTheFirstFreeOneAndItsFirstAddress()
    {
        Assert.Equal(("10.89.0.0/24", "10.89.0.1"), (Networks.Create(new NetworkSpec { Name = "one" }) is var one ? (one.Subnet, one.Gateway) : default));
        Assert.Equal("10.89.1.0/24", Networks.Create(new NetworkSpec { Name = "two" }).Subnet);
    }

    [Theory]
    [InlineData("10.88.5.0/24", null, null, "SubnetOverlaps")] // inside the default network's
    [InlineData("10.0.0.0/8", null, null, "SubnetOverlaps")] // around it
    [InlineData("10.30.0.0/16", "10.31.0.1", null, "AddressOutsideSubnet")]
    [InlineData("10.30.0.0/16", "10.30.0.0", null, "AddressOutsideSubnet")] // the subnet's own address
    [InlineData("10.30.0.0/16", null, "10.40.0.0/24", "AddressOutsideSubnet")]
    [InlineData("10.30.0.0/16", null, "10.30.0.0/8", "InvalidSubnet")] // host bits set
    [InlineData("10.30.0.1/16", null, null, "InvalidSubnet")]
    [InlineData("10.30.0.0", null, null, "InvalidSubnet")]
    [InlineData("fd00::/64", null, null, "InvalidSubnet")] // IPv6 goes in Subnet6
    [InlineData("10.30.0.0/16", "nonsense", null, "InvalidAddress")]
    public void BadAddressingIsRefusedAndNothingIsMade(string subnet, string? gateway, string? ipRange, string errorId)
    {
        var e = Assert.Throws<ContainerException>(() => Networks.Create(new NetworkSpec { Name = "bad", Subnet = subnet, Gateway = gateway, IPRange = ipRange }));

        Assert.Equal((errorId, ErrorKind.InvalidArgument), (e.ErrorId, e.Kind));
        Assert.False(Directory.Exists(store.Paths.NetworkDir("bad")));
    }

    [Fact]
    public void TwoNetworksMayNotShareANameOrOverlap()
    {
        Networks.Create(new NetworkSpec { Name = "front", Subnet = "10.50.0.0/24" });

        Assert.Equal("NetworkExists", Assert.Throws<ContainerException>(() => Networks.Create(new NetworkSpec { Name = "front", Subnet = "10.51.0.0/24" })).ErrorId);
        var overlap = Assert.Throws<ContainerException>(() => Networks.Create(new NetworkSpec { Name = "back", Subnet = "10.50.0.128/25" }));
        Assert.Equal("SubnetOverlaps", overlap.ErrorId);
        Assert.Contains("'front'", overlap.Message);
        Assert.Equal("NetworkExists", Assert.Throws<ContainerException>(() => Networks.Create(new NetworkSpec { Name = "bridge" })).ErrorId);
        foreach (var mode in new[] { "none", "host", "bad name" })
            Assert.Equal("InvalidNetworkName", Assert.Throws<ContainerException>(() => Networks.Create(new NetworkSpec { Name = mode })).ErrorId);
    }

    [Fact]
    public void NetworksAreSelectedByNameWildcardAndId()
    {
        Networks.Create(new NetworkSpec { Name = "web-a" });
        Networks.Create(new NetworkSpec { Name = "web-b" });

        Assert.Equal(["web-a", "web-b"], Networks.Select("web-*"));
        Assert.Empty(Networks.Select("nothing*"));
        Assert.Equal("NetworkNotFound", Assert.Throws<ContainerException>(() => Networks.Select("nothing")).ErrorId);
        Assert.Equal(["bridge", "web-a", "web-b"], Networks.List().Select(n => n.Name));
    }

    [Fact]
    public void TheDefaultAddressChangesAndPersistsWhileNoContainerUsesIt()
    {
        var changed = Networks.Readdress("bridge", "10.0.0.0/16", "10.0.0.1");

        Assert.Equal(("10.0.0.0/16", "10.0.0.1"), (changed.Subnet, changed.Gateway));
        Assert.Equal("10.0.0.1/16", StoreConfig.Read(store.Paths).BridgeAddress);
        Assert.Equal("10.0.0.0/16", Fresh().Get("bridge").Subnet);
        // a store whose default network record is lost (a wiped store) makes it again from the config
        Directory.Delete(store.Paths.NetworkDir("bridge"), recursive: true);
        Assert.Equal(("10.0.0.0/16", "10.0.0.1"), Fresh().Get("bridge") is var made ? (made.Subnet, made.Gateway) : default);

        store.Containers.Create(new() { Image = FakeHostStore.Image, Name = "user", Command = ["true"], Network = "bridge" });
        var e = Assert.Throws<ContainerException>(() => Networks.Readdress("bridge", "10.1.0.0/16", null));
        Assert.Equal(("NetworkInUse", ErrorKind.ResourceBusy), (e.ErrorId, e.Kind));
        Assert.Equal("10.0.0.1/16", StoreConfig.Read(store.Paths).BridgeAddress);
    }

    [Fact]
    public void ANetworkIsReaddressedOnlyToWhatFits()
    {
        Networks.Create(new NetworkSpec { Name = "other", Subnet = "10.70.0.0/16" });
        Networks.Create(new NetworkSpec { Name = "moving", Subnet = "10.71.0.0/24", IPRange = "10.71.0.128/25" });

        Assert.Equal("SubnetOverlaps", Assert.Throws<ContainerException>(() => Networks.Readdress("moving", "10.70.1.0/24", null)).ErrorId);
        Assert.Equal("AddressOutsideSubnet", Assert.Throws<ContainerException>(() => Networks.Readdress("moving", "10.72.0.0/24", "10.73.0.1")).ErrorId);
        Assert.Equal("10.71.0.0/24", Fresh().Get("moving").Subnet);

        var moved = Networks.Readdress("moving", "10.72.0.0/24", null);
        Assert.Equal(("10.72.0.0/24", "10.72.0.1", null), (moved.Subnet, moved.Gateway, moved.IPRange));
        Assert.Null(StoreConfig.Read(store.Paths).BridgeAddress); // only the default network's is kept in the config
    }

    [Fact]
    public void ANetworkInUseIsRemovedOnlyByForce()
    {
        Networks.Create(new NetworkSpec { Name = "used" });
        store.Containers.Create(new() { Image = FakeHostStore.Image, Name = "member", Command = ["true"], Network = "used" });

        var e = Assert.Throws<ContainerException>(() => Networks.Remove("used", force: false));
        Assert.Equal("NetworkInUse", e.ErrorId);
        Assert.Contains("member", e.Message);
        Assert.Equal(["member"], Networks.Get("used").Containers);

        Networks.Remove("used", force: true);
        Assert.Equal("NetworkNotFound", Assert.Throws<ContainerException>(() => Networks.Get("used")).ErrorId);
        // its container stays, and cannot start on a network that is gone
        Assert.Equal("NetworkNotFound", Assert.Throws<ContainerException>(() => store.Containers.Start("member")).ErrorId);
        Assert.Empty(store.Host.Network.SetUp);
    }

    [Fact]
    public void AnUnusedNetworkIsRemovedButTheDefaultOneStays()
    {
        Networks.Create(new NetworkSpec { Name = "spare" });
        Networks.Remove("spare", force: false);

        Assert.False(Directory.Exists(store.Paths.NetworkDir("spare")));
        Assert.Equal("PredefinedNetwork", Assert.Throws<ContainerException>(() => Networks.Remove("bridge", force: true)).ErrorId);
    }

    /// <summary>CONTAINER_NETWORK itself is read by a pwsh of its own in Networks.Model.Tests.ps1 (this process's environment is every test's).</summary>
    [Fact]
    public void TheStoreSaysWhichNetworkAContainerGetsAndTheVariableOverridesIt()
    {
        Assert.Equal("none", StoreConfig.Read(store.Paths).NetworkMode(null)); // the fixture's store says so
        Assert.Equal("none", store.Create("loopback-only").NetworkMode);
        new StoreConfig().Write(store.Paths);
        Assert.Equal("bridge", StoreConfig.Read(store.Paths).NetworkMode(""));
        Assert.Equal("host", StoreConfig.Read(store.Paths).NetworkMode("host"));
        var defaulted = store.Containers.Create(new() { Image = FakeHostStore.Image, Name = "defaulted", Command = ["true"] });
        Assert.Equal(("bridge", "10.88.0.2"), (defaulted.NetworkMode, defaulted.IPAddress));
    }
}
