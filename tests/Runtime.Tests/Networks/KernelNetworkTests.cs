using System.Net;
using Xunit;
using System.Net.Sockets;
using Container.Runtime.Errors;
using Container.Runtime.Linux;
using Container.Runtime.Networks;

namespace Container.Tests.Networks;

/// <summary>
/// The real driver and monitor on the kernel: every test plays the host in a network namespace
/// of its own (remote hosts in others, wired to it), runs real busybox containers in the
/// namespaces the driver makes, and leaves nothing behind. No traffic leaves those namespaces.
/// </summary>
[Trait("Category", "Kernel")]
public sealed class KernelNetworkTests
{
    private static KernelNetworkHost NewHost()
    {
        Skip.If(Libc.Geteuid() != 0, "network namespaces, bridges and nftables need root");
        return new KernelNetworkHost();
    }

    /// <summary>A shell command whose output and exit status land in the container's /tmp/file, whole (renamed into place).</summary>
    private static string[] Recorded(string file, string command) =>
        ["sh", "-c", $"{{ {command}; }} > /tmp/{file}.tmp 2>&1; echo exit=$? >> /tmp/{file}.tmp; mv /tmp/{file}.tmp /tmp/{file}"];

    [SkippableTheory]
    [InlineData(false, "ping -c1 -W5 10.88.0.1", "http://10.88.0.2/index.html")]
    [InlineData(true, "ping6 -c1 -W5 fd00:88::1", "http://[fd00:88::2]/index.html")]
    public void A_container_on_the_bridge_reaches_the_gateway_and_another_container(bool ipv6, string pingGateway, string otherContainer)
    {
        using var host = NewHost();
        host.RunWebServer("server", host.NewSetup(2, ipv6: ipv6));
        var client = host.Run("client", host.NewSetup(3, ipv6: ipv6), Recorded("result", $"{pingGateway} && timeout 10 wget -q -O - {otherContainer}"));

        var result = client.WaitForFile("result");
        Assert.Contains("1 packets received", result);
        Assert.Contains("server", result);
        Assert.EndsWith("exit=0\n", result);
    }

    [SkippableFact]
    public void The_networks_mtu_is_the_bridges_and_both_ends_of_the_veth()
    {
        using var host = NewHost();
        var setup = host.NewSetup(2, mtu: 1400);

        host.Driver.Setup(setup);

        Assert.Contains("mtu 1400", host.Host.Ip("link", "show", "container0"));
        Assert.Contains("mtu 1400", host.Host.Ip("link", "show", setup.Attachments[0].HostInterface));
        Assert.Contains("mtu 1400", KernelNamespace.Of(setup.NamespacePath).Exec("ip", "link", "show", "eth0").StandardOutput);
    }

    [SkippableFact]
    public void Both_ends_of_the_veth_are_made_with_one_queue_each_way()
    {
        // the driver's default (one per CPU) is cut to one at creation, which waits for an RCU grace period per end
        using var host = NewHost();
        var setup = host.NewSetup(2);

        host.Driver.Setup(setup);

        Assert.Contains("numtxqueues 1 numrxqueues 1", host.Host.Ip("-d", "link", "show", setup.Attachments[0].HostInterface));
        Assert.Contains("numtxqueues 1 numrxqueues 1", KernelNamespace.Of(setup.NamespacePath).Exec("ip", "-d", "link", "show", "eth0").StandardOutput);
    }

    [SkippableFact]
    public void A_setup_replaces_a_host_veth_its_last_runs_teardown_has_yet_to_delete()
    {
        // the teardown's child deletes the host's end without the lock: a restart may come first
        using var host = NewHost();
        var setup = host.NewSetup(2);
        host.Host.Ip("link", "add", setup.Attachments[0].HostInterface, "type", "veth", "peer", "name", "stale-peer");

        host.Driver.Setup(setup);

        Assert.Contains("master container0", host.Host.Ip("link", "show", setup.Attachments[0].HostInterface));
        Assert.DoesNotContain("stale-peer", host.Host.Ip("-o", "link", "show"));
        Assert.Contains("inet 10.88.0.2/24", KernelNamespace.Of(setup.NamespacePath).Exec("ip", "addr", "show", "eth0").StandardOutput);
    }

    [SkippableFact]
    public void Outbound_traffic_is_masqueraded_to_the_remote_host()
    {
        using var host = NewHost();
        var remote = host.AddRemote();
        using var listener = remote.Listen(IPAddress.Parse(KernelNetworkHost.RemoteAddress), 9000);
        var accepting = listener.AcceptAsync();

        host.Run("caller", host.NewSetup(2), "sh", "-c", $"echo hello | nc {KernelNetworkHost.RemoteAddress} 9000");

        Assert.True(accepting.Wait(TimeSpan.FromSeconds(20)), "the remote host saw no connection");
        using var connection = accepting.Result;
        Assert.Equal(KernelNetworkHost.HostAddress, ((IPEndPoint)connection.RemoteEndPoint!).Address.ToString());
    }

    [SkippableFact]
    public void A_published_port_is_reached_from_a_remote_host_the_host_itself_and_another_container()
    {
        using var host = NewHost();
        var remote = host.AddRemote();
        host.RunWebServer("web", host.NewSetup(2, ports: new PortMapping("", 8080, 80, "tcp")));

        Assert.Contains("web", remote.HttpGet(KernelNetworkHost.HostAddress, 8080));
        Assert.Contains("web", host.Host.HttpGet("127.0.0.1", 8080));
        Assert.Contains("web", host.Host.HttpGet(KernelNetworkHost.HostAddress, 8080));
        // hairpin: through the host's address, back onto the bridge
        var neighbour = host.Run("neighbour", host.NewSetup(3),
            Recorded("result", $"timeout 10 wget -q -O - http://{KernelNetworkHost.HostAddress}:8080/index.html"));
        var result = neighbour.WaitForFile("result");
        Assert.Contains("web", result);
        Assert.EndsWith("exit=0\n", result);
    }

    [SkippableFact]
    public void A_port_published_on_one_host_address_is_not_published_on_the_others()
    {
        using var host = NewHost();
        var remote = host.AddRemote();
        host.RunWebServer("web", host.NewSetup(2, ports: new PortMapping("127.0.0.1", 8080, 80, "tcp")));

        Assert.Contains("web", host.Host.HttpGet("127.0.0.1", 8080));
        // the monitor holds 127.0.0.1:8080 only; nothing answers on the host's other address
        Assert.True(remote.CannotConnect(KernelNetworkHost.HostAddress, 8080, TimeSpan.FromSeconds(2)));
    }

    [SkippableFact]
    public void A_published_udp_port_forwards_datagrams()
    {
        using var host = NewHost();
        var remote = host.AddRemote();
        var setup = host.NewSetup(2, ports: new PortMapping("", 5353, 53, "udp"));
        host.Driver.Setup(setup);
        // busybox's nc has no udp: the receiver is a socket of the test's in the container's namespace
        using var receiver = KernelNamespace.Of(setup.NamespacePath).Listen(IPAddress.Any, 53, ProtocolType.Udp);
        receiver.ReceiveTimeout = 20000;

        remote.Inside(() =>
        {
            using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            return sender.SendTo("datagram"u8, new IPEndPoint(IPAddress.Parse(KernelNetworkHost.HostAddress), 5353));
        });

        var buffer = new byte[64];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        var n = receiver.ReceiveFrom(buffer, ref from);
        Assert.Equal("datagram", System.Text.Encoding.ASCII.GetString(buffer, 0, n));
        Assert.Equal(KernelNetworkHost.RemoteAddress, ((IPEndPoint)from).Address.ToString());
    }

    [SkippableFact]
    public void An_internal_network_has_no_route_out()
    {
        using var host = NewHost();
        var remote = host.AddRemote();
        using var listener = remote.Listen(IPAddress.Parse(KernelNetworkHost.RemoteAddress), 9000);
        var setup = host.NewSetup(2, @internal: true);
        host.Driver.Setup(setup);
        var routes = KernelNamespace.Of(setup.NamespacePath).Exec("ip", "route").StandardOutput;
        var container = host.Start("inside", setup, Recorded("result", $"nc -w 3 {KernelNetworkHost.RemoteAddress} 9000 < /dev/null"));

        Assert.Contains("10.88.0.0/24 dev eth0", routes);
        Assert.DoesNotContain("default", routes);
        var result = container.WaitForFile("result");
        Assert.Contains("Network is unreachable", result);
        Assert.DoesNotContain("exit=0", result);
    }

    [SkippableFact]
    public void The_monitor_tears_the_network_down_when_the_container_ends_and_a_teardown_after_it_finds_nothing()
    {
        using var host = NewHost();
        var setup = host.NewSetup(2, ports: new PortMapping("", 8080, 80, "tcp"));
        var container = host.Run("brief", setup, "true");

        Assert.Equal(0, container.WaitForExit().ExitCode);
        // exit.json comes last: the network is gone by then
        Assert.Empty(host.Leftovers());
        host.Driver.Teardown(setup);
        host.Driver.Teardown(setup);
        Assert.Empty(host.Leftovers());
    }

    [SkippableFact]
    public void A_teardown_removes_the_namespace_the_veth_and_the_rules_but_keeps_what_others_use()
    {
        using var host = NewHost();
        var stays = host.NewSetup(2, ports: new PortMapping("", 8081, 80, "tcp"));
        var goes = host.NewSetup(3, ports: new PortMapping("", 8080, 80, "tcp"));
        host.Driver.Setup(stays);
        host.Driver.Setup(goes);

        host.Driver.Teardown(goes);

        Assert.False(File.Exists(goes.NamespacePath));
        var links = host.Links();
        Assert.DoesNotContain(goes.Attachments[0].HostInterface, links);
        Assert.Contains(stays.Attachments[0].HostInterface, links);
        Assert.Contains("container0", links);
        var rules = host.Host.Exec("nft", "list", "table", "inet", "container").StandardOutput;
        Assert.DoesNotContain(goes.ContainerId, rules);
        Assert.Contains(stays.ContainerId, rules);

        host.Driver.Teardown(stays);
        Assert.Empty(host.Leftovers());
    }

    [SkippableFact]
    public void A_failed_setup_leaves_nothing()
    {
        using var host = NewHost();
        var setup = host.NewSetup(2);
        // the second interface clashes inside the container: it fails after the bridge, the namespace and the first veth are made
        var clash = setup.Attachments[0] with { HostInterface = "vethclash0" };
        var failing = setup with { Attachments = [setup.Attachments[0], clash] };

        var error = Assert.Throws<ContainerException>(() => host.Driver.Setup(failing));

        Assert.Equal("NetworkSetupFailed", error.ErrorId);
        Assert.Empty(host.Leftovers());
    }

    [SkippableFact]
    public void A_setup_over_what_a_killed_monitor_left_undoes_that_first()
    {
        using var host = NewHost();
        var first = host.NewSetup(2, ports: new PortMapping("", 8080, 80, "tcp"));
        host.Driver.Setup(first);
        // the same container started again, its last run's network never torn down, now with another address
        var again = host.NewSetup(3) with { ContainerId = first.ContainerId, NamespacePath = first.NamespacePath };
        again = again with { Attachments = [again.Attachments[0] with { HostInterface = first.Attachments[0].HostInterface }] };

        host.Driver.Setup(again);

        var rules = host.Host.Exec("nft", "list", "table", "inet", "container").StandardOutput;
        Assert.DoesNotContain("10.88.0.2", rules);
        Assert.Contains("10.88.0.3", rules);
        Assert.Contains("10.88.0.3/24", KernelNamespace.Of(again.NamespacePath).Exec("ip", "-br", "addr").StandardOutput);
        host.Driver.Teardown(again);
        Assert.Empty(host.Leftovers());
    }

    [SkippableTheory]
    [InlineData(2)]
    [InlineData(8)]
    public void Setups_at_once_on_a_new_network_all_attach_to_one_bridge_and_teardowns_at_once_leave_nothing(int count)
    {
        using var host = NewHost();
        var setups = Enumerable.Range(2, count).Select(n => host.NewSetup(n)).ToList();

        Parallel.ForEach(setups, new ParallelOptions { MaxDegreeOfParallelism = count }, setup => host.Driver.Setup(setup));

        var ports = host.Host.Ip("-o", "link", "show", "master", "container0");
        Assert.All(setups, setup => Assert.Contains(setup.Attachments[0].HostInterface, ports));
        var client = host.Start("client", setups[^1], Recorded("result", "ping -c1 -W5 10.88.0.1 && ping -c1 -W5 10.88.0.2"));
        Assert.EndsWith("exit=0\n", client.WaitForFile("result"));
        client.Stop();

        Parallel.ForEach(setups, new ParallelOptions { MaxDegreeOfParallelism = count }, setup => host.Driver.Teardown(setup));
        Assert.Empty(host.Leftovers());
    }

    [SkippableFact]
    public void A_forward_policy_drop_in_someone_elses_iptables_filter_chain_still_lets_our_traffic_through()
    {
        using var host = NewHost();
        var remote = host.AddRemote();
        // docker's, or a host firewall's, made with iptables-nft
        var firewall = host.Host.Exec("iptables", "-P", "FORWARD", "DROP");
        Assert.True(firewall.Succeeded, firewall.ErrorText);
        using var listener = remote.Listen(IPAddress.Parse(KernelNetworkHost.RemoteAddress), 9000);
        var accepting = listener.AcceptAsync();
        var setup = host.NewSetup(2, ports: new PortMapping("", 8080, 80, "tcp"));

        host.RunWebServer("web", setup);
        Assert.Contains("web", remote.HttpGet(KernelNetworkHost.HostAddress, 8080));
        host.Run("caller", host.NewSetup(3), "sh", "-c", $"echo hello | nc {KernelNetworkHost.RemoteAddress} 9000");
        Assert.True(accepting.Wait(TimeSpan.FromSeconds(20)), "the remote host saw no connection");
        accepting.Result.Dispose();
        // their tool still reads its chain, ours in it
        var listed = host.Host.Exec("iptables-save", "-t", "filter");
        Assert.True(listed.Succeeded, listed.ErrorText);
        Assert.Contains($"--comment {setup.ContainerId}", listed.StandardOutput);

        host.Driver.Teardown(setup);
        var theirs = host.Host.Exec("iptables-save", "-t", "filter").StandardOutput;
        Assert.Contains(":FORWARD DROP", theirs);
        Assert.DoesNotContain(setup.ContainerId, theirs);
    }

    [SkippableFact]
    public void A_published_port_is_held_while_the_container_runs_and_free_once_it_stops()
    {
        using var host = NewHost();
        var web = host.RunWebServer("web", host.NewSetup(2, ports: new PortMapping("", 8080, 80, "tcp")));

        // a host process
        Assert.Equal(SocketError.AddressAlreadyInUse, host.Host.TryBind(IPAddress.Any, 8080));
        // a second container
        var second = host.NewSetup(3, ports: new PortMapping("", 8080, 80, "tcp"));
        var refused = Assert.Throws<ContainerException>(() => host.Driver.Setup(second));
        Assert.Equal("PortInUse", refused.ErrorId);
        Assert.Equal(ErrorKind.ResourceUnavailable, refused.Kind);
        Assert.Contains("0.0.0.0:8080/tcp", refused.Message);
        Assert.False(File.Exists(second.NamespacePath));

        web.Stop();
        Assert.Equal(SocketError.Success, host.Host.TryBind(IPAddress.Any, 8080));
    }

    [SkippableFact]
    public void The_monitor_refuses_to_start_a_container_whose_port_was_taken_after_the_setup()
    {
        using var host = NewHost();
        var setup = host.NewSetup(2, ports: new PortMapping("", 8080, 80, "tcp"));
        host.Driver.Setup(setup);
        using var taken = host.Host.Listen(IPAddress.Any, 8080);

        var refused = Assert.Throws<ContainerException>(() => host.Start("late", setup, "true"));

        Assert.Equal("PortInUse", refused.ErrorId);
        Assert.Contains("0.0.0.0:8080/tcp", refused.Message);
    }
}
