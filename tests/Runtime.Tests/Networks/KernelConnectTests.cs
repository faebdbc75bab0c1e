using System.Text;
using Xunit;
using Container.Runtime;
using Container.Runtime.Containers;
using Container.Runtime.Images;
using Container.Runtime.Linux;
using Container.Runtime.Networks;
using Container.Tests.Fixtures;

namespace Container.Tests.Networks;

/// <summary>
/// Connect-ContainerNetwork and Disconnect-ContainerNetwork on the real driver and monitor, in a
/// network namespace that plays the host: a running container gets a second network live and
/// loses it again, a stopped one gets it at its start, and the monitor's teardown at the
/// container's exit leaves nothing of either network.
/// </summary>
[Trait("Category", "Kernel")]
public sealed class KernelConnectTests : IDisposable
{
    private const string Backend = "backend";
    private const string ServerAddress = "10.91.0.2";

    private KernelNetworkHost host = null!;
    private ContainerEngine engine = null!;

    /// <summary>The host, its engine with the busybox image and the network backend; each test's first step.</summary>
    private void MakeHost()
    {
        Skip.If(Libc.Geteuid() != 0, "network namespaces, bridges and nftables need root");
        host = new KernelNetworkHost();
        engine = new ContainerEngine(host.Paths, HostSeams.Of(host.Paths) with { Network = host.Driver });
        engine.Importer.Import(BusyboxRootfs.Path, ImageReference.Parse(TestStore.Image), ImageDefaults.From(["sh"], null, null));
        engine.Networks.Create(new NetworkSpec { Name = Backend, Subnet = "10.91.0.0/24" });
    }

    private ContainerService Containers => engine.Containers;

    public void Dispose()
    {
        if (host == null)
            return;
        try
        {
            foreach (var container in Containers.List())
                Containers.Remove(container.Id, force: true);
            Assert.Empty(host.Leftovers());
        }
        finally
        {
            host.Dispose();
        }
    }

    /// <summary>busybox httpd on backend at ServerAddress, serving its name.</summary>
    private void StartServer()
    {
        MakeHost();
        Containers.Create(new ContainerSpec
        {
            Image = TestStore.Image, Name = "server", Network = Backend, IPAddress = ServerAddress,
            Command = ["sh", "-c", "echo server > /tmp/index.html && exec httpd -f -p 80 -h /tmp"],
        });
        Containers.Start("server");
    }

    private void CreateClient() =>
        Containers.Create(new ContainerSpec { Image = TestStore.Image, Name = "client", Network = "bridge", Command = ["sleep", "3600"] });

    /// <summary>A command run in the container: its exit code and what it wrote, both streams.</summary>
    private (int Code, string Output) Exec(string container, params string[] command)
    {
        var output = new StringBuilder();
        var code = Containers.Exec(container, new ExecSpec { Command = command }, (_, line) =>
        {
            lock (output)
                output.AppendLine(line);
        });
        return (code, output.ToString());
    }

    /// <summary>An HTTP request to the server from the client, by nc (busybox's static wget crashes in the engine's containers); its exit code and the answer.</summary>
    private (int Code, string Output) Request(int seconds) =>
        Exec("client", "sh", "-c", $"printf 'GET /index.html HTTP/1.0\\r\\n\\r\\n' | nc -w {seconds} {ServerAddress} 80");

    /// <summary>The server's page fetched from the client: once its httpd listens (it starts after the engine's start returns).</summary>
    private string FetchFromServer()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var (code, output) = Request(5);
            if (code == 0 && output.Contains("200 OK") || DateTime.UtcNow > deadline)
                return output;
            Thread.Sleep(100);
        }
    }

    /// <summary>The client's default routes (busybox's ip shows every route whatever it is asked).</summary>
    private string DefaultRoutes() =>
        string.Join('\n', Exec("client", "ip", "route").Output.Split('\n').Where(l => l.StartsWith("default", StringComparison.Ordinal)));

    [SkippableFact]
    public void A_running_container_gets_the_network_live_and_loses_it_again()
    {
        StartServer();
        CreateClient();
        Containers.Start("client");
        var routeBefore = DefaultRoutes();

        var connected = Containers.ConnectNetwork("client", Backend);

        var endpoint = connected.Networks.Single(e => e.Network == Backend);
        Assert.Equal(("eth1", "10.91.0.3"), (endpoint.Interface, endpoint.Address));
        Assert.Contains("inet 10.91.0.3/24", Exec("client", "ip", "-o", "addr", "show", "eth1").Output);
        Assert.Contains("server", FetchFromServer());
        Assert.Equal(routeBefore, DefaultRoutes()); // still the first network's gateway
        Assert.Contains("via 10.88.0.1", routeBefore);
        Assert.Contains("10.91.0.3\tclient\n", Exec("client", "cat", "/etc/hosts").Output);
        Assert.Equal(["client", "server"], engine.Networks.Get(Backend).Containers);

        Containers.DisconnectNetwork("client", Backend);

        Assert.NotEqual(0, Exec("client", "ip", "link", "show", "eth1").Code);
        Assert.DoesNotContain("server", Request(2).Output);
        Assert.DoesNotContain("10.91.0.3", Exec("client", "cat", "/etc/hosts").Output);
        Assert.Equal(["server"], engine.Networks.Get(Backend).Containers);
        Assert.Contains("via 10.88.0.1", DefaultRoutes());
        Assert.DoesNotContain(NetworkEndpoint.HostInterfaceOf(connected.Id, endpoint.NetworkId), host.Links());
    }

    [SkippableFact]
    public void A_created_container_connected_gets_the_network_at_its_start()
    {
        StartServer();
        CreateClient();

        Containers.ConnectNetwork("client", Backend, address: "10.91.0.50");
        Containers.Start("client");

        Assert.Contains("inet 10.91.0.50/24", Exec("client", "ip", "-o", "addr", "show", "eth1").Output);
        Assert.Contains("server", FetchFromServer());
        Assert.Contains("via 10.88.0.1", DefaultRoutes());
    }

    [SkippableFact]
    public void The_monitors_teardown_at_the_exit_leaves_nothing_of_a_network_connected_live()
    {
        StartServer();
        CreateClient();
        var client = Containers.Start("client");
        var endpoint = Containers.ConnectNetwork("client", Backend).Networks.Single(e => e.Network == Backend);
        Assert.Contains(endpoint.HostInterface, host.Links());

        Containers.Kill("client", "KILL");
        Assert.Equal(ContainerStatus.Exited, Containers.Wait("client", TimeSpan.FromSeconds(30)).Status);

        var links = host.Links();
        Assert.DoesNotContain(endpoint.HostInterface, links);
        Assert.DoesNotContain(client.Networks.Single().HostInterface, links);
        Assert.DoesNotContain(client.Id, host.Host.Exec("nft", "list", "ruleset").StandardOutput);
        Assert.False(File.Exists(host.Paths.NetnsPath(client.Id)));
        // the server's network is as it was
        Assert.Contains("ctr-", links);
    }
}
