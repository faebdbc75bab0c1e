using Container.Runtime;
using Container.Runtime.Containers;
using Container.Runtime.Errors;
using Container.Runtime.Networks;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Networks;

/// <summary>IPAM: each container's address on its network leased at its creation, unique, given back at its removal, never lost.</summary>
public sealed class ModelAddressLeaseTests : IDisposable
{
    private readonly FakeHostStore store = new();

    public void Dispose() => store.Dispose();

    private ContainerInfo Create(string name, string network = "bridge", string? address = null) =>
        store.Containers.Create(new ContainerSpec { Image = FakeHostStore.Image, Name = name, Command = ["true"], Network = network, IPAddress = address });

    private string LeasesFile(string network) => Path.Combine(store.Paths.NetworkDir(network), "leases.json");

    [Fact]
    public void AddressesAreLeasedInTurnPastTheGateway()
    {
        Assert.Equal("10.88.0.2", Create("first").IPAddress);
        Assert.Equal("10.88.0.3", Create("second").IPAddress);
        var endpoint = store.Containers.Get("first").Networks.Single();
        Assert.Equal(("bridge", "eth0"), (endpoint.Network, endpoint.Interface));
        Assert.Matches("^veth[0-9a-f]{8}$", endpoint.HostInterface);
        Assert.Equal(["first", "second"], store.Engine.Networks.Get("bridge").Containers);
    }

    [Fact]
    public void ARangeAndIPv6AreLeasedFromToo()
    {
        store.Engine.Networks.Create(new NetworkSpec { Name = "ranged", Subnet = "10.60.0.0/16", IPRange = "10.60.7.0/24", Subnet6 = "fd00:60::/64" });

        var member = Create("member", "ranged").Networks.Single();

        Assert.Equal(("10.60.7.1", "fd00:60::2"), (member.Address, member.Address6));
    }

    [Fact]
    public void AStaticAddressIsTakenAsGivenOrRefusedBeforeAnythingIsMade()
    {
        store.Engine.Networks.Create(new NetworkSpec { Name = "static", Subnet = "10.61.0.0/16", IPRange = "10.61.1.0/24" });
        Assert.Equal("10.61.1.50", Create("fixed", "static", "10.61.1.50").IPAddress);
        Assert.True(store.Containers.Get("fixed").Networks.Single().StaticAddress);

        foreach (var (address, errorId) in new[]
                 {
                     ("10.61.1.50", "AddressInUse"), ("10.61.0.1", "AddressInUse"), // another's, the gateway's
                     ("10.61.2.5", "AddressOutsideRange"), ("10.62.0.5", "AddressOutsideSubnet"), ("10.61.255.255", "AddressOutsideSubnet"),
                     ("not-an-address", "InvalidAddress"),
                 })
        {
            var e = Assert.Throws<ContainerException>(() => Create("refused", "static", address));
            Assert.Equal(errorId, e.ErrorId);
            Assert.Equal(address, e.Target);
        }
        Assert.Equal("ContainerNotFound", Assert.Throws<ContainerException>(() => store.Containers.Get("refused")).ErrorId);
        Assert.False(File.Exists(store.Paths.NamesDir + "/refused"));
        Assert.Equal(["fixed"], store.Engine.Networks.Get("static").Containers);
        // the next one is the range's first (its own address, 10.61.1.0, is not given)
        Assert.Equal("10.61.1.1", Create("next", "static").IPAddress);
    }

    [Fact]
    public void TheContainerThatReplacesAnotherMayShareItsStaticAddressUntilThatOneIsRemovedAndNoOtherMay()
    {
        store.Engine.Networks.Create(new NetworkSpec { Name = "static", Subnet = "10.61.0.0/16" });
        var old = Create("old", "static", "10.61.0.50");
        ContainerInfo Replacing(string name, string replaced) => store.Containers.Create(new ContainerSpec
        {
            Image = FakeHostStore.Image, Name = name, Command = ["true"], Network = "static", IPAddress = "10.61.0.50", Replaces = replaced,
        });

        var replacement = Replacing("new", old.Id);
        Assert.Equal("10.61.0.50", replacement.IPAddress);
        // a third is refused, whichever of the two it is said to replace
        Assert.Equal("AddressInUse", Assert.Throws<ContainerException>(() => Create("third", "static", "10.61.0.50")).ErrorId);
        Assert.Equal("AddressInUse", Assert.Throws<ContainerException>(() => Replacing("fourth", old.Id)).ErrorId);

        // the old one's removal leaves the new one's lease
        store.Containers.Remove("old", force: true);
        Assert.Equal(["new"], store.Engine.Networks.Get("static").Containers);
        Assert.Equal("AddressInUse", Assert.Throws<ContainerException>(() => Create("third", "static", "10.61.0.50")).ErrorId);
    }

    [Fact]
    public void RemovalGivesTheAddressBack()
    {
        Create("leaving");
        store.Containers.Remove("leaving", force: false);

        Assert.Empty(store.Engine.Networks.Get("bridge").Containers);
        Assert.DoesNotContain("10.88.0.2", File.ReadAllText(LeasesFile("bridge")));
        Assert.Equal("10.88.0.2", Create("arriving").IPAddress);
    }

    [Fact]
    public void TheLeaseOfAContainerThatIsGoneIsReclaimedByTheNextAllocation()
    {
        var crashed = Create("crashed");
        // a removal killed after the directory went and before the lease was given back
        Directory.Delete(crashed.Path, recursive: true);
        Assert.Contains(crashed.Id, File.ReadAllText(LeasesFile("bridge")));

        Assert.Equal("10.88.0.2", Create("heir").IPAddress);
        Assert.DoesNotContain(crashed.Id, File.ReadAllText(LeasesFile("bridge")));
    }

    [Fact]
    public void AnExhaustedNetworkSaysSo()
    {
        store.Engine.Networks.Create(new NetworkSpec { Name = "tiny", Subnet = "10.63.0.0/30" }); // .1 the gateway, .2 the only member
        Create("only", "tiny");

        var e = Assert.Throws<ContainerException>(() => Create("one-too-many", "tiny"));
        Assert.Equal(("AddressesExhausted", ErrorKind.LimitsExceeded), (e.ErrorId, e.Kind));
    }

    /// <summary>Eight sessions (engines of their own, as eight pwsh would have) creating twenty containers each at once on one network.</summary>
    [Fact]
    public void EightSessionsAtOnceGetUniqueAddressesAndLoseNone()
    {
        store.Engine.Networks.Create(new NetworkSpec { Name = "busy", Subnet = "10.64.0.0/16" });
        var created = new System.Collections.Concurrent.ConcurrentBag<ContainerInfo>();
        using var go = new Barrier(8);
        var sessions = Enumerable.Range(0, 8).Select(session => new Thread(() =>
        {
            var engine = new ContainerEngine(store.Paths, store.Host.Seams);
            go.SignalAndWait();
            for (var i = 0; i < 20; i++)
                created.Add(engine.Containers.Create(new ContainerSpec { Image = FakeHostStore.Image, Name = $"s{session}-c{i}", Command = ["true"], Network = "busy" }));
        })).ToList();
        sessions.ForEach(t => t.Start());
        sessions.ForEach(t => t.Join());

        Assert.Equal(160, created.Count);
        Assert.Equal(160, created.Select(c => c.IPAddress).Distinct().Count());
        var leases = Json.ReadFile<NetworkLeases>(LeasesFile("busy")).Leases;
        Assert.Equal(created.Select(c => c.Id).Order(), leases.Keys.Order());
        Assert.All(created, c => Assert.Equal(c.IPAddress, leases[c.Id].Address));

        Parallel.ForEach(created, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            c => new ContainerEngine(store.Paths, store.Host.Seams).Containers.Remove(c.Id, force: false));
        Assert.Empty(Json.ReadFile<NetworkLeases>(LeasesFile("busy")).Leases);
    }
}
