using Container.Runtime.Containers;
using Container.Runtime.Errors;
using Container.Runtime.Networks;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Networks;

/// <summary>
/// Test-ContainerPort and Repair-ContainerNetwork through the engine, on a fake driver: which
/// ports of which containers are tested or repaired, from the setups their runs recorded.
/// </summary>
public sealed class ModelPortTestingTests : IDisposable
{
    private readonly ModelRecordingDriver driver = new();
    private readonly FakeHostStore store;

    public ModelPortTestingTests() => store = new FakeHostStore((_, fakes) => fakes.Seams with { Network = driver });

    public void Dispose() => store.Dispose();

    private ContainerInfo Run(string name, string network = "bridge", params string[] publish)
    {
        store.Containers.Create(new ContainerSpec { Image = FakeHostStore.Image, Name = name, Command = ["true"], Network = network, Publish = publish });
        return store.Containers.Start(name);
    }

    [Fact]
    public void Each_published_port_of_a_running_container_is_tested_or_those_of_one_host_port_and_protocol()
    {
        var web = Run("web", publish: ["8080:80", "8081:81", "5353:53/udp"]);
        driver.FactsOf = setup => new ModelPortFacts(setup.ContainerId);

        Assert.Equal([8080, 8081, 5353], store.Containers.TestPorts("web").Select(r => r.HostPort));
        var one = Assert.Single(store.Containers.TestPorts("web", 8080));
        Assert.Equal(("web", 80, "tcp", true), (one.Container, one.ContainerPort, one.Protocol, one.Reachable));
        Assert.Equal([5353], store.Containers.TestPorts(web.Id, protocol: "UDP").Select(r => r.HostPort));
        Assert.Equal("PortNotPublished", Assert.Throws<ContainerException>(() => store.Containers.TestPorts("web", 9999)).ErrorId);
        Assert.Equal("PortNotPublished", Assert.Throws<ContainerException>(() => store.Containers.TestPorts("web", 8080, "udp")).ErrorId);
    }

    [Fact]
    public void A_container_not_running_or_without_a_network_of_ours_has_no_port_to_test()
    {
        store.Containers.Create(new ContainerSpec { Image = FakeHostStore.Image, Name = "idle", Command = ["true"], Network = "bridge", Publish = ["8080:80"] });
        Run("alone", "none");

        Assert.Equal("ContainerNotRunning", Assert.Throws<ContainerException>(() => store.Containers.TestPorts("idle")).ErrorId);
        Assert.Equal("PortNotPublished", Assert.Throws<ContainerException>(() => store.Containers.TestPorts("alone")).ErrorId);
    }

    [Fact]
    public void A_repair_applies_again_the_setups_of_the_running_containers_with_a_network_of_ours()
    {
        var web = Run("web", publish: ["8080:80"]);
        Run("db");
        Run("alone", "none");
        store.Containers.Create(new ContainerSpec { Image = FakeHostStore.Image, Name = "idle", Command = ["true"], Network = "bridge" });

        var candidates = store.Containers.WithNetworkSetUp().Select(c => c.Name).Order().ToList();
        var repaired = store.Containers.RepairNetwork("web");

        Assert.Equal(["db", "web"], candidates);
        Assert.NotNull(repaired);
        Assert.Equal(("web", web.Id, "bridge", "0.0.0.0:8080->80/tcp"), (repaired.Container, repaired.Id, repaired.Networks.Single(), repaired.PortsText));
        Assert.Contains($"repair {web.Id}", driver.Calls);
        Assert.Null(store.Containers.RepairNetwork("idle"));
    }
}
