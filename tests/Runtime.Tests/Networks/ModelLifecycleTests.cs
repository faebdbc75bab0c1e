using Container.Runtime;
using Container.Runtime.Containers;
using Container.Runtime.Errors;
using Container.Runtime.Images;
using Container.Runtime.Networks;
using Container.Runtime.Oci;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Networks;

/// <summary>
/// A container's network through its life, on a fake driver that remembers what is set up: the
/// lease at creation, the setup at start (before the runtime's create), teardown at stop, at
/// removal and when a container is found dead with its setup still recorded; every mode's
/// bundle and /etc files; a setup that fails leaving nothing. No kernel network is touched.
/// </summary>
public sealed class ModelLifecycleTests : IDisposable
{
    private readonly ModelRecordingDriver driver = new();
    private readonly FakeHostStore store;

    public ModelLifecycleTests() => store = new FakeHostStore((_, fakes) => fakes.Seams with { Network = driver });

    public void Dispose() => store.Dispose();

    private ContainerInfo Create(string name, string network = "bridge", IReadOnlyList<string>? publish = null) =>
        store.Containers.Create(new ContainerSpec { Image = FakeHostStore.Image, Name = name, Command = ["true"], Network = network, Publish = publish });

    private RuntimeSpec Bundle(string name) => Json.ReadFile<RuntimeSpec>(store.FileOf(name, "config.json"));

    private string SetupFile(string name) => store.FileOf(name, ContainerNetworking.SetupFile);

    [Fact]
    public void ABridgeContainerIsSetUpAtStartInTheNamespaceItsBundleNames()
    {
        var created = Create("web", publish: ["8080:80", "127.0.0.1::53/udp"]);
        Assert.Empty(driver.SetUp);
        var netns = store.Paths.NetnsPath(created.Id);
        Assert.Equal(netns, Bundle("web").Linux.Namespaces.Single(n => n.Type == "network").Path);

        store.Containers.Start("web");

        var setup = driver.SetUp.Single();
        Assert.Equal((created.Id, netns), (setup.ContainerId, setup.NamespacePath));
        var attachment = setup.Attachments.Single();
        Assert.Equal(("bridge", "container0", "eth0", "10.88.0.0/16", "10.88.0.2/16", "10.88.0.1", 1500, false),
            (attachment.Network, attachment.Bridge, attachment.Interface, attachment.Subnet, attachment.Address, attachment.Gateway, attachment.Mtu, attachment.Internal));
        Assert.Equal(created.Networks.Single().HostInterface, attachment.HostInterface);
        Assert.Equal(new PortMapping("", 8080, 80, "tcp"), setup.Ports[0]);
        Assert.Equal(("127.0.0.1", 53, "udp"), (setup.Ports[1].HostIp, setup.Ports[1].ContainerPort, setup.Ports[1].Protocol));
        Assert.InRange(setup.Ports[1].HostPort, 1, 65535); // chosen at start
        Assert.Equal(setup, Json.ReadFile<NetworkSetup>(SetupFile("web")) with { Attachments = setup.Attachments, Ports = setup.Ports });
        Assert.Equal(setup.Ports, store.Containers.Get("web").Ports);
        Assert.Equal($"0.0.0.0:8080->80/tcp, 127.0.0.1:{setup.Ports[1].HostPort}->53/udp", store.Containers.Get("web").PortsText);
    }

    [Fact]
    public void PortsAreAskedForByContainerPortAsDockerPortDoes()
    {
        Create("ported", publish: ["8080:80", "9090:80", "5353:53/udp"]);

        Assert.Equal([8080, 9090], store.Containers.Ports("ported", "80").Select(p => p.HostPort));
        Assert.Equal([5353], store.Containers.Ports("ported", "53/UDP").Select(p => p.HostPort));
        Assert.Equal(3, store.Containers.Ports("ported").Count);
        Assert.Equal(("PortNotPublished", ErrorKind.ObjectNotFound), Assert.Throws<ContainerException>(() => store.Containers.Ports("ported", "53")) is var e ? (e.ErrorId, e.Kind) : default);
        Assert.Equal("InvalidPort", Assert.Throws<ContainerException>(() => store.Containers.Ports("ported", "http")).ErrorId);
    }

    [Fact]
    public void StopTearsDownAndRestartSetsUpAgain()
    {
        Create("cycled", publish: ["80"]);
        store.Containers.Start("cycled");
        store.Containers.Stop("cycled", TimeSpan.FromSeconds(5));

        Assert.Empty(driver.SetUp);
        Assert.False(File.Exists(SetupFile("cycled")));
        Assert.Equal("80/tcp", store.Containers.Get("cycled").PortsText); // no host port while it has no network

        store.Containers.Restart("cycled", TimeSpan.FromSeconds(5));
        Assert.Single(driver.SetUp);
        store.Containers.Restart("cycled", TimeSpan.FromSeconds(5));
        Assert.Single(driver.SetUp);
        Assert.Equal(ContainerStatus.Running, store.Containers.Get("cycled").Status);
    }

    [Fact]
    public void RemoveTearsDownAndGivesTheLeaseBack()
    {
        Create("removed");
        store.Containers.Start("removed");

        store.Containers.Remove("removed", force: true);

        Assert.Empty(driver.SetUp);
        Assert.Empty(store.Engine.Networks.Get("bridge").Containers);
    }

    [Fact]
    public void ASetupThatFailsLeavesNothingButTheCreatedContainerAndItsLease()
    {
        Create("unlucky");
        driver.NextSetupFails = Errors.SystemCall("create the veth pair", 17, "unlucky");

        var e = Assert.Throws<ContainerException>(() => store.Containers.Start("unlucky"));

        Assert.Equal("SystemCallFailed", e.ErrorId);
        Assert.Equal(ContainerStatus.Created, store.Containers.Get("unlucky").Status);
        Assert.False(File.Exists(SetupFile("unlucky")));
        Assert.Empty(store.Host.Mounts.Mounted);
        Assert.Equal(0, store.Host.Monitor.Starts);
        Assert.Equal(["unlucky"], store.Engine.Networks.Get("bridge").Containers);
        // and the next start is a start like any other, at the same address
        store.Containers.Start("unlucky");
        Assert.Equal("10.88.0.2/16", driver.SetUp.Single().Attachments.Single().Address);
    }

    [Fact]
    public void AHostPortThatCannotBeChosenFailsTheStartBeforeAnyIsSetUp()
    {
        Create("elsewhere", publish: ["192.0.2.1::80"]); // an address this host does not have

        var e = Assert.Throws<ContainerException>(() => store.Containers.Start("elsewhere"));

        Assert.Equal(("PortUnavailable", ErrorKind.ResourceUnavailable), (e.ErrorId, e.Kind));
        Assert.Contains("80/tcp on 192.0.2.1", e.Message);
        Assert.Empty(driver.Calls);
        Assert.False(File.Exists(SetupFile("elsewhere")));
        Assert.Empty(store.Host.Mounts.Mounted);
        Assert.Equal(ContainerStatus.Created, store.Containers.Get("elsewhere").Status);
    }

    [Fact]
    public void AMonitorThatFailsAfterTheSetupTearsItDown()
    {
        Create("unmonitored");
        store.Host.Monitor.NextStartFails = Errors.StartFailed("unmonitored", "the monitor exited without an answer");

        Assert.Throws<ContainerException>(() => store.Containers.Start("unmonitored"));

        Assert.Empty(driver.SetUp);
        Assert.False(File.Exists(SetupFile("unmonitored")));
        Assert.Empty(store.Host.Mounts.Mounted);
    }

    /// <summary>Its init and monitor killed together (no monitor to tear down at the exit): the next command that acts on it does.</summary>
    [Theory]
    [InlineData("stop")]
    [InlineData("start")]
    [InlineData("remove")]
    public void AContainerFoundDeadWithItsSetupIsTornDown(string command)
    {
        Create("killed", publish: ["80"]);
        store.Containers.Start("killed");
        Assert.NotEqual("80/tcp", store.Containers.Get("killed").PortsText);
        var setupFile = SetupFile("killed");
        KillUnseen("killed");
        Assert.Single(driver.SetUp);
        Assert.Equal("80/tcp", store.Containers.Get("killed").PortsText); // no host port shown for a run that is over

        switch (command)
        {
            case "stop":
                store.Containers.Stop("killed", TimeSpan.FromSeconds(5));
                Assert.Empty(driver.SetUp);
                break;
            case "start":
                store.Containers.Start("killed");
                Assert.Single(driver.SetUp); // the old setup torn down, a new one made
                var id = store.Containers.Get("killed").Id;
                Assert.Equal([$"setup {id}", $"teardown {id}", $"setup {id}"], driver.Calls);
                break;
            default:
                store.Containers.Remove("killed", force: false);
                Assert.Empty(driver.SetUp);
                break;
        }
        Assert.Equal(command == "start", File.Exists(setupFile));
    }

    /// <summary>What a SIGKILL of both the init and the monitor leaves: run.json, no exit.json, the monitor's lock let go.</summary>
    private void KillUnseen(string name)
    {
        var id = store.Containers.Get(name).Id;
        store.Host.Monitor.InitDies(id);
        store.Host.Monitor.Abandon(id);
        Assert.Equal(ContainerStatus.Exited, store.Containers.Get(name).Status);
    }

    [Fact]
    public void NoneGetsAnEmptyNamespaceAndItsOwnFiles()
    {
        var created = Create("alone", network: "none");

        Assert.Equal(("none", null), (created.NetworkMode, created.IPAddress));
        var network = Bundle("alone").Linux.Namespaces.Single(n => n.Type == "network");
        Assert.Null(network.Path);
        AssertEtcMounts("alone", created.Path);
        Assert.StartsWith("127.0.0.1\tlocalhost\n", File.ReadAllText(Path.Combine(created.Path, "hosts")));
        Assert.DoesNotContain("\talone", File.ReadAllText(Path.Combine(created.Path, "hosts")));
        Assert.Equal("alone\n", File.ReadAllText(Path.Combine(created.Path, "hostname")));
        store.Containers.Start("alone");
        Assert.Empty(driver.SetUp);
    }

    [Fact]
    public void ABridgeContainerKnowsItsOwnNameAndTheHostsItWasGiven()
    {
        var created = store.Containers.Create(new ContainerSpec
        {
            Image = FakeHostStore.Image, Name = "named", Command = ["true"], Network = "bridge", Hostname = "api", Domainname = "example.test",
            AddHost = ["db:10.1.2.3", "v6:fd00::9"], Dns = ["192.0.2.53"], DnsSearch = ["example.test"], DnsOption = ["ndots:2"],
        });

        var hosts = File.ReadAllText(Path.Combine(created.Path, "hosts"));
        Assert.EndsWith("10.1.2.3\tdb\nfd00::9\tv6\n10.88.0.2\tapi.example.test api\n", hosts);
        Assert.Equal("api\n", File.ReadAllText(Path.Combine(created.Path, "hostname")));
        Assert.Equal("search example.test\nnameserver 192.0.2.53\noptions ndots:2\n", File.ReadAllText(Path.Combine(created.Path, "resolv.conf")));
        AssertEtcMounts("named", created.Path);
    }

    [Fact]
    public void HostModeHasNoNamespaceOfItsOwnAndTheHostsNames()
    {
        var created = store.Containers.Create(new ContainerSpec { Image = FakeHostStore.Image, Name = "hosted", Command = ["true"], Network = "host", AddHost = ["extra:10.9.9.9"] });

        Assert.DoesNotContain(Bundle("hosted").Linux.Namespaces, n => n.Type == "network");
        Assert.Equal(File.ReadAllText("/proc/sys/kernel/hostname").Trim(), created.Hostname);
        var hosts = File.ReadAllText(Path.Combine(created.Path, "hosts"));
        Assert.StartsWith(File.ReadAllText("/etc/hosts").TrimEnd('\n'), hosts);
        Assert.EndsWith("10.9.9.9\textra\n", hosts);
        store.Containers.Start("hosted");
        Assert.Empty(driver.SetUp);
    }

    [Fact]
    public void ContainerModeJoinsTheOthersNamespaceAndFilesAtStart()
    {
        var web = Create("web");
        var sidecar = Create("sidecar", network: "container:web");
        Assert.Equal(("container:" + web.Id, web.Hostname), (sidecar.NetworkMode, sidecar.Hostname));
        AssertEtcMounts("sidecar", web.Path);

        Assert.Equal("ContainerNotRunning", Assert.Throws<ContainerException>(() => store.Containers.Start("sidecar")).ErrorId);
        Assert.Empty(store.Host.Mounts.Mounted);

        store.Containers.Start("web");
        store.Containers.Start("sidecar");
        Assert.Equal(store.Paths.NetnsPath(web.Id), Bundle("sidecar").Linux.Namespaces.Single(n => n.Type == "network").Path);
        Assert.Single(driver.SetUp); // web's alone

        // one on a network of loopback only is joined through its init's namespace
        var loner = Create("loner", network: "none");
        store.Containers.Start("loner");
        Create("follower", network: "container:loner");
        store.Containers.Start("follower");
        Assert.Equal($"/proc/{store.Containers.Get("loner").Pid}/ns/net", Bundle("follower").Linux.Namespaces.Single(n => n.Type == "network").Path);
    }

    [Theory]
    [InlineData("nowhere", "NetworkNotFound")]
    [InlineData("container:nobody", "ContainerNotFound")]
    [InlineData("bad network", "InvalidNetworkMode")]
    [InlineData("container:", "InvalidNetworkMode")]
    public void AnUnknownNetworkOrContainerIsRefusedBeforeAnythingIsMade(string mode, string errorId)
    {
        var e = Assert.Throws<ContainerException>(() => Create("refused", network: mode));

        Assert.Equal(errorId, e.ErrorId);
        AssertNothingMade();
    }

    [Theory]
    [InlineData("none", "-Publish")]
    [InlineData("host", "-Publish")]
    [InlineData("none", "-IPAddress")]
    [InlineData("container:web", "-Alias")]
    public void NetworkOptionsNeedANetworkOfOurs(string mode, string option)
    {
        Create("web");
        var e = Assert.Throws<ContainerException>(() => store.Containers.Create(new ContainerSpec
        {
            Image = FakeHostStore.Image, Name = "refused", Command = ["true"], Network = mode,
            Publish = option == "-Publish" ? ["8080:80"] : null, IPAddress = option == "-IPAddress" ? "10.88.0.9" : null, Alias = option == "-Alias" ? ["other"] : null,
        }));

        Assert.Equal(("NetworkModeConflict", ErrorKind.InvalidArgument), (e.ErrorId, e.Kind));
        Assert.StartsWith(option, e.Message);
        AssertNothingMade();
    }

    [Fact]
    public void AContainerOnAnothersNetworkTakesNoNamesOfItsOwn()
    {
        Create("web");
        var e = Assert.Throws<ContainerException>(() => store.Containers.Create(new ContainerSpec { Image = FakeHostStore.Image, Name = "refused", Command = ["true"], Network = "container:web", Hostname = "mine" }));
        Assert.Equal("NetworkModeConflict", e.ErrorId);
        AssertNothingMade();
    }

    [Fact]
    public void PublishAllPublishesWhatTheImageExposes()
    {
        var config = ImageDefaults.From(["true"], null, null);
        config.ExposedPorts = new() { ["80/tcp"] = new Dictionary<string, string>(), ["53/udp"] = new Dictionary<string, string>() };
        var rootfs = Path.Combine(store.Root, "exposing-rootfs");
        Directory.CreateDirectory(Path.Combine(rootfs, "etc"));
        store.Engine.Importer.Import(rootfs, ImageReference.Parse("exposing:test"), config);

        var created = store.Containers.Create(new ContainerSpec { Image = "exposing:test", Name = "all", Network = "bridge", PublishAll = true, Publish = ["8080:80"] });

        Assert.Equal("0.0.0.0:8080->80/tcp, 53/udp", created.PortsText);
        var onLoopback = Assert.Throws<ContainerException>(() => store.Containers.Create(new ContainerSpec { Image = "exposing:test", Name = "refused", Network = "none", PublishAll = true }));
        Assert.StartsWith("-PublishAll", onLoopback.Message);
        // an image that exposes nothing has nothing to publish, on any network
        Assert.Equal("none", store.Containers.Create(new ContainerSpec { Image = FakeHostStore.Image, Name = "quiet", Command = ["true"], Network = "none", PublishAll = true }).NetworkMode);
        store.Containers.Start("all");
        Assert.NotEqual(0, driver.SetUp.Single().Ports.Single(p => p.Protocol == "udp").HostPort);
    }

    private void AssertEtcMounts(string name, string filesDirectory)
    {
        var mounts = Bundle(name).Mounts.Where(m => m.Destination is "/etc/hosts" or "/etc/hostname" or "/etc/resolv.conf").ToList();
        Assert.Equal(["/etc/hosts", "/etc/hostname", "/etc/resolv.conf"], mounts.Select(m => m.Destination));
        Assert.All(mounts, m => Assert.Equal(("bind", filesDirectory), (m.Type, Path.GetDirectoryName(m.Source))));
    }

    private void AssertNothingMade()
    {
        Assert.Equal("ContainerNotFound", Assert.Throws<ContainerException>(() => store.Containers.Get("refused")).ErrorId);
        Assert.False(File.Exists(Path.Combine(store.Paths.NamesDir, "refused")));
        Assert.Empty(Directory.Exists(store.Paths.StagingDir) ? Directory.GetFileSystemEntries(store.Paths.StagingDir) : []);
        Assert.DoesNotContain(store.Engine.Networks.List(), n => n.Containers.Contains("refused"));
    }
}
