using System.Net;
using System.Net.Sockets;
using Container.Runtime.Linux;
using Container.Runtime.Networks;
using Xunit;

namespace Container.Tests.Networks;

/// <summary>
/// The host's firewall reloaded (nft flush ruleset, as firewalld or a restart of nftables do)
/// under running containers, and someone else's forward chains that drop: the driver's repair,
/// the next setup that notices our table gone, and what the probes of Test-ContainerPort meet,
/// on the kernel, in a netns that plays the host.
/// </summary>
[Trait("Category", "Kernel")]
public sealed class KernelFirewallRepairTests
{
    private static KernelNetworkHost NewHost()
    {
        Skip.If(Libc.Geteuid() != 0, "network namespaces, bridges and nftables need root");
        return new KernelNetworkHost();
    }

    /// <summary>Whether an HTTP GET from the namespace to address:port gets the page of the container named: an answer within a few seconds.</summary>
    private static bool Serves(KernelNamespace client, string address, int port, string name) => client.Inside(() =>
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 3000 };
        try
        {
            if (!socket.ConnectAsync(IPAddress.Parse(address), port).Wait(TimeSpan.FromSeconds(3)))
                return false;
            socket.Send("GET /index.html HTTP/1.0\r\n\r\n"u8);
            var buffer = new byte[4096];
            var received = new MemoryStream();
            int n;
            while ((n = socket.Receive(buffer)) > 0)
                received.Write(buffer, 0, n);
            return System.Text.Encoding.UTF8.GetString(received.ToArray()).Contains(name);
        }
        catch (Exception e) when (e is SocketException or AggregateException)
        {
            return false;
        }
    });

    private static void Nft(KernelNetworkHost host, params string[] arguments)
    {
        var result = host.Host.Exec(["nft", .. arguments]);
        Assert.True(result.Succeeded, result.ErrorText);
    }

    [SkippableFact]
    public void A_flushed_ruleset_stops_the_published_port_until_a_repair_applies_the_rules_again()
    {
        using var host = NewHost();
        var remote = host.AddRemote();
        var setup = host.NewSetup(2, ports: new PortMapping("", 8080, 80, "tcp"));
        host.RunWebServer("web", setup);
        Assert.True(Serves(remote, KernelNetworkHost.HostAddress, 8080, "web"));

        Nft(host, "flush", "ruleset");
        Assert.False(Serves(remote, KernelNetworkHost.HostAddress, 8080, "web"));
        // the monitor's socket, which holds the port, takes what nothing forwards
        var facts = host.Driver.Facts(setup, 0);
        Assert.Equal(ProbeOutcome.HostSocket, facts.Connect(IPAddress.Loopback, 8080, null));

        Assert.True(host.Driver.Repair(setup));

        Assert.True(Serves(remote, KernelNetworkHost.HostAddress, 8080, "web"));
        Assert.Equal(ProbeOutcome.Answered, facts.Connect(IPAddress.Loopback, 8080, null));
        Assert.Equal(ProbeOutcome.Answered, facts.Connect(IPAddress.Parse(KernelNetworkHost.HostAddress), 8080, IPAddress.Parse("10.88.0.1")));
        Assert.Equal(ProbeOutcome.Refused, facts.Connect(IPAddress.Loopback, 8081, null));
    }

    [SkippableFact]
    public void A_repair_of_rules_in_place_leaves_them_once_and_one_of_a_container_gone_does_nothing()
    {
        using var host = NewHost();
        var setup = host.NewSetup(2, ports: new PortMapping("", 8080, 80, "tcp"));
        host.RunWebServer("web", setup);
        var before = host.Host.Exec("nft", "list", "table", "inet", "container").StandardOutput;

        Assert.True(host.Driver.Repair(setup));
        Assert.True(host.Driver.Repair(setup));

        Assert.Equal(before.Split('\n').Count(l => l.Contains(setup.ContainerId)), host.Host.Exec("nft", "list", "table", "inet", "container").StandardOutput.Split('\n').Count(l => l.Contains(setup.ContainerId)));
        host.Driver.Teardown(setup);
        Assert.False(host.Driver.Repair(setup));
        Assert.Empty(host.Leftovers());
    }

    [SkippableFact]
    public void A_setup_that_finds_our_table_gone_applies_the_running_containers_rules_again()
    {
        using var host = NewHost();
        var remote = host.AddRemote();
        host.RunWebServer("web", host.NewSetup(2, ports: new PortMapping("", 8080, 80, "tcp")));
        Nft(host, "flush", "ruleset");
        Assert.False(Serves(remote, KernelNetworkHost.HostAddress, 8080, "web"));

        host.RunWebServer("next", host.NewSetup(3, ports: new PortMapping("", 8081, 80, "tcp")));

        Assert.True(Serves(remote, KernelNetworkHost.HostAddress, 8080, "web"));
        Assert.True(Serves(remote, KernelNetworkHost.HostAddress, 8081, "next"));
    }

    [SkippableFact]
    public void A_forward_policy_drop_in_another_table_still_lets_our_traffic_through_and_is_left_as_it_was()
    {
        using var host = NewHost();
        var remote = host.AddRemote();
        Nft(host, "add", "table", "inet", "strict");
        Nft(host, "add", "chain", "inet", "strict", "forward", "{ type filter hook forward priority 0; policy drop; }");
        using var listener = remote.Listen(IPAddress.Parse(KernelNetworkHost.RemoteAddress), 9000);
        var accepting = listener.AcceptAsync();
        var setup = host.NewSetup(2, ports: new PortMapping("", 8080, 80, "tcp"));

        host.RunWebServer("web", setup);

        Assert.True(Serves(remote, KernelNetworkHost.HostAddress, 8080, "web"));
        host.Run("caller", host.NewSetup(3), "sh", "-c", $"echo hello | nc {KernelNetworkHost.RemoteAddress} 9000");
        Assert.True(accepting.Wait(TimeSpan.FromSeconds(20)), "the remote host saw no connection");
        accepting.Result.Dispose();
        host.Driver.Teardown(setup);
        var theirs = host.Host.Exec("nft", "list", "table", "inet", "strict").StandardOutput;
        Assert.Contains("policy drop", theirs);
        Assert.DoesNotContain(setup.ContainerId, theirs);
    }
}
