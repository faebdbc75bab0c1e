using Container.Runtime;
using Container.Runtime.Containers;
using Container.Runtime.Errors;
using Container.Runtime.Networks;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Networks;

/// <summary>
/// Connect and disconnect on the engine's side, on a fake driver that remembers what is set up:
/// the record, the lease, the recorded setup and the hosts file of a created and of a running
/// container; every refusal before anything is made, and a live attach that fails leaving
/// nothing of it. No kernel network is touched.
/// </summary>
public sealed class ModelConnectTests : IDisposable
{
    private readonly ModelRecordingDriver driver = new();
    private readonly FakeHostStore store;

    public ModelConnectTests()
    {
        store = new FakeHostStore((_, fakes) => fakes.Seams with { Network = driver });
        store.Engine.Networks.Create(new NetworkSpec { Name = "backend", Subnet = "10.91.0.0/24" });
    }

    public void Dispose() => store.Dispose();

    private ContainerService Containers => store.Containers;

    private ContainerInfo Create(string name, string network = "bridge") =>
        Containers.Create(new ContainerSpec { Image = FakeHostStore.Image, Name = name, Command = ["true"], Network = network });

    /// <summary>Its hosts file; none for a container on another's network (it has that one's).</summary>
    private string? Hosts(string name) => File.Exists(store.FileOf(name, EtcFiles.HostsFile)) ? File.ReadAllText(store.FileOf(name, EtcFiles.HostsFile)) : null;

    private NetworkSetup? RecordedSetup(string name) => Json.ReadFileIfExists<NetworkSetup>(store.FileOf(name, ContainerNetworking.SetupFile));

    /// <summary>What a refused or failed change must leave as it was.</summary>
    private (string Record, string? Hosts, string? Setup, string Members) State(string name) =>
        (File.ReadAllText(store.FileOf(name, ContainerStore.RecordFile)), Hosts(name),
            File.Exists(store.FileOf(name, ContainerNetworking.SetupFile)) ? File.ReadAllText(store.FileOf(name, ContainerNetworking.SetupFile)) : null,
            string.Join(",", store.Engine.Networks.Get("backend").Containers));

    [Fact]
    public void ACreatedContainerIsConnectedOnItsRecordAndSetUpWithTheNetworkAtItsStart()
    {
        Create("web");

        var connected = Containers.ConnectNetwork("web", "backend", aliases: ["api"]);

        Assert.Empty(driver.Calls);
        var endpoint = connected.Networks[1];
        Assert.Equal(("backend", "eth1", "10.91.0.2", false, "api"), (endpoint.Network, endpoint.Interface, endpoint.Address, endpoint.StaticAddress, string.Join(",", endpoint.Aliases)));
        Assert.Equal(endpoint.Interface, Containers.Get("web").Networks[1].Interface); // recorded
        Assert.Equal(["web"], store.Engine.Networks.Get("backend").Containers);
        Assert.EndsWith("10.88.0.2\tweb\n10.91.0.2\tweb\n", Hosts("web"));

        Containers.Start("web");

        var setup = driver.SetUp.Single();
        Assert.Equal([("bridge", "eth0", "10.88.0.2/16"), ("backend", "eth1", "10.91.0.2/24")], setup.Attachments.Select(a => (a.Network, a.Interface, a.Address)));
    }

    [Fact]
    public void ARunningContainerIsAttachedAndDetachedLiveItsSetupFollowing()
    {
        Create("web");
        var id = Containers.Start("web").Id;

        var connected = Containers.ConnectNetwork("web", "backend", address: "10.91.0.9");

        Assert.Equal($"attach {id} backend", driver.Calls[^1]);
        var attachment = driver.SetUp.Single().Attachments[1];
        Assert.Equal(("backend", "eth1", "10.91.0.9/24", connected.Networks[1].HostInterface), (attachment.Network, attachment.Interface, attachment.Address, attachment.HostInterface));
        // what the teardown at its end undoes (as JSON: a record compares its lists by reference)
        Assert.Equal(Json.Serialize(driver.SetUp.Single().Attachments), Json.Serialize(RecordedSetup("web")!.Attachments));
        Assert.True(connected.Networks[1].StaticAddress);
        Assert.Contains("10.91.0.9\tweb\n", Hosts("web"));

        var disconnected = Containers.DisconnectNetwork("web", "backend");

        Assert.Equal($"detach {id} backend", driver.Calls[^1]);
        Assert.Equal(["bridge"], driver.SetUp.Single().Attachments.Select(a => a.Network));
        Assert.Equal(["bridge"], RecordedSetup("web")!.Attachments.Select(a => a.Network));
        Assert.Equal(["bridge"], disconnected.Networks.Select(e => e.Network));
        Assert.Equal(["bridge"], Containers.Get("web").Networks.Select(e => e.Network));
        Assert.Empty(store.Engine.Networks.Get("backend").Containers);
        Assert.DoesNotContain("10.91.0.9", Hosts("web"));
        Assert.Contains("10.88.0.2\tweb\n", Hosts("web"));
    }

    [Fact]
    public void TheHostsFileKeepsWhatElseItSays()
    {
        Create("web");
        File.AppendAllText(store.FileOf("web", EtcFiles.HostsFile), "192.0.2.7\tedited-by-hand\n");

        Containers.ConnectNetwork("web", "backend");
        Assert.EndsWith("10.88.0.2\tweb\n192.0.2.7\tedited-by-hand\n10.91.0.2\tweb\n", Hosts("web"));
        Containers.DisconnectNetwork("web", "backend");

        Assert.EndsWith("10.88.0.2\tweb\n192.0.2.7\tedited-by-hand\n", Hosts("web"));
    }

    [Fact]
    public void TheNextInterfaceIsTheLowestFreeAndAContainerWithoutNetworksStillGetsItsNamespace()
    {
        Create("web");
        Containers.ConnectNetwork("web", "backend");
        Containers.DisconnectNetwork("web", "bridge");
        store.Engine.Networks.Create(new NetworkSpec { Name = "third" });

        Assert.Equal("eth0", Containers.ConnectNetwork("web", "third").Networks.Single(e => e.Network == "third").Interface);

        Containers.DisconnectNetwork("web", "third");
        Containers.DisconnectNetwork("web", "backend");
        Containers.Start("web");
        // its bundle names the namespace: the setup makes it, with loopback alone
        var setup = driver.SetUp.Single();
        Assert.Equal(store.Paths.NetnsPath(Containers.Get("web").Id), setup.NamespacePath);
        Assert.Empty(setup.Attachments);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("host")]
    [InlineData("container:other")]
    public void AContainerOnNoneHostOrAnothersNetworkIsRefused(string mode)
    {
        Create("other");
        Create("web", network: mode);
        var before = State("web");

        var connect = Assert.Throws<ContainerException>(() => Containers.ConnectNetwork("web", "backend"));
        var disconnect = Assert.Throws<ContainerException>(() => Containers.DisconnectNetwork("web", "bridge"));

        Assert.Equal(("NetworkModeNotConnectable", ErrorKind.InvalidOperation, "web"), (connect.ErrorId, connect.Kind, connect.Target));
        Assert.Equal("NetworkModeNotConnectable", disconnect.ErrorId);
        Assert.Equal(before, State("web"));
    }

    [Theory]
    [InlineData("nowhere", "web", null, "NetworkNotFound", ErrorKind.ObjectNotFound)]
    [InlineData("backend", "nobody", null, "ContainerNotFound", ErrorKind.ObjectNotFound)]
    [InlineData("bridge", "web", null, "ContainerAlreadyConnected", ErrorKind.ResourceExists)]
    [InlineData("backend", "web", "10.91.0.2", "AddressInUse", ErrorKind.ResourceExists)]
    [InlineData("backend", "web", "10.91.0.1", "AddressInUse", ErrorKind.ResourceExists)]
    [InlineData("backend", "web", "10.92.0.5", "AddressOutsideSubnet", ErrorKind.InvalidArgument)]
    [InlineData("backend", "web", "10.91.0", "InvalidAddress", ErrorKind.InvalidArgument)]
    public void ABadConnectIsRefusedBeforeAnythingIsMade(string network, string container, string? address, string errorId, ErrorKind kind)
    {
        Create("db", network: "backend"); // 10.91.0.2
        Create("web");
        var id = Containers.Start("web").Id;
        var before = State("web");
        var calls = driver.Calls.Count;

        var e = Assert.Throws<ContainerException>(() => Containers.ConnectNetwork(container, network, address));

        Assert.Equal((errorId, kind), (e.ErrorId, e.Kind));
        Assert.Equal(before, State("web"));
        Assert.Equal(calls, driver.Calls.Count);
        Assert.Equal(id, Containers.Get("web").Id);
    }

    [Fact]
    public void AnInvalidAliasIsRefused() =>
        Assert.Equal("InvalidAlias", Assert.Throws<ContainerException>(() =>
        {
            Create("web");
            Containers.ConnectNetwork("web", "backend", aliases: ["not valid"]);
        }).ErrorId);

    [Fact]
    public void DisconnectingFromANetworkItIsNotOnIsRefused()
    {
        Create("web");
        var before = State("web");

        var e = Assert.Throws<ContainerException>(() => Containers.DisconnectNetwork("web", "backend"));

        Assert.Equal(("ContainerNotConnected", ErrorKind.InvalidOperation), (e.ErrorId, e.Kind));
        Assert.Equal(before, State("web"));
    }

    [Fact]
    public void AnAttachThatFailsLeavesNothingOfIt()
    {
        Create("web");
        Containers.Start("web");
        var before = State("web");
        driver.NextAttachFails = Errors.NetworkSetupFailed("web", "no more veths");

        var e = Assert.Throws<ContainerException>(() => Containers.ConnectNetwork("web", "backend"));

        Assert.Equal("NetworkSetupFailed", e.ErrorId);
        Assert.Equal(before, State("web"));
        Assert.Equal(["bridge"], driver.SetUp.Single().Attachments.Select(a => a.Network));
        // and it can be tried again, at the same address
        Assert.Equal("10.91.0.2", Containers.ConnectNetwork("web", "backend").Networks[1].Address);
    }

    [Fact]
    public void ForceDisconnectsFromANetworkRemovedMeanwhile()
    {
        Create("web");
        Containers.ConnectNetwork("web", "backend");
        Containers.Start("web");
        store.Engine.Networks.Remove("backend", force: true);

        Assert.Equal("NetworkNotFound", Assert.Throws<ContainerException>(() => Containers.DisconnectNetwork("web", "backend")).ErrorId);
        Containers.DisconnectNetwork("web", "backend", force: true);

        Assert.Equal(["bridge"], Containers.Get("web").Networks.Select(e => e.Network));
        Assert.Equal(["bridge"], driver.SetUp.Single().Attachments.Select(a => a.Network));
        Assert.Equal($"detach {Containers.Get("web").Id} backend", driver.Calls[^1]);
    }
}
