using System.Net;
using Xunit;
using Container.Runtime.Containers;
using Container.Runtime.Networks;
using Container.Tests.Fixtures;

namespace Container.Tests.Networks;

/// <summary>
/// A network with an IPv6 subnet besides its IPv4 one, through the engine on the real driver
/// and monitor in a netns that plays the host: the container has both addresses and both
/// default routes, a published port is reached over IPv6 from a remote host (DNAT for ip6),
/// and what the container sends out over IPv6 leaves with the host's address (masquerade).
/// </summary>
[Trait("Category", "Kernel")]
public sealed class KernelDualStackTests
{
    private const int Port = 8080;

    private static ContainerNetwork DualStack(KernelEngineHost host) =>
        host.Engine.Networks.Create(new NetworkSpec { Name = "dual", Subnet = "10.90.0.0/24", Subnet6 = "fd00:90::/64" });

    [SkippableFact]
    public void A_container_on_a_dual_stack_network_has_both_addresses_and_both_default_routes()
    {
        using var host = KernelEngineHost.Create();
        DualStack(host);

        var web = host.StartPublished("web", Port, "dual");

        var endpoint = Assert.Single(web.Networks);
        Assert.Equal(("10.90.0.2", "fd00:90::2"), (endpoint.Address, endpoint.Address6));
        var inside = KernelNamespace.Of(host.Kernel.Paths.NetnsPath(web.Id));
        Assert.Contains("inet 10.90.0.2/24", inside.Exec("ip", "-4", "-o", "addr", "show", "eth0").StandardOutput);
        Assert.Contains("inet6 fd00:90::2/64", inside.Exec("ip", "-6", "-o", "addr", "show", "eth0").StandardOutput);
        Assert.Contains("default via 10.90.0.1 dev eth0", inside.Exec("ip", "-4", "route").StandardOutput);
        Assert.Contains("default via fd00:90::1 dev eth0", inside.Exec("ip", "-6", "route").StandardOutput);
    }

    [SkippableFact]
    public void A_published_port_is_reached_over_ipv6_from_a_remote_host()
    {
        using var host = KernelEngineHost.Create();
        var remote = host.Kernel.AddRemote(ipv6: true);
        DualStack(host);

        host.StartPublished("web", Port, "dual");

        Assert.Contains("web", remote.HttpGet(KernelNetworkHost.HostAddress6, Port));
        Assert.Contains("web", remote.HttpGet(KernelNetworkHost.HostAddress, Port));
    }

    [SkippableFact]
    public void Outbound_ipv6_traffic_is_masqueraded_to_the_remote_host()
    {
        using var host = KernelEngineHost.Create();
        var remote = host.Kernel.AddRemote(ipv6: true);
        DualStack(host);
        using var listener = remote.Listen(IPAddress.Parse(KernelNetworkHost.RemoteAddress6), 9000);
        var accepting = listener.AcceptAsync();

        host.Containers.Create(new ContainerSpec
        {
            Image = TestStore.Image, Name = "caller", Network = "dual",
            Command = ["sh", "-c", $"echo hello | nc {KernelNetworkHost.RemoteAddress6} 9000"],
        });
        host.Containers.Start("caller");

        Assert.True(accepting.Wait(TimeSpan.FromSeconds(20)), "the remote host saw no connection");
        using var connection = accepting.Result;
        Assert.Equal(KernelNetworkHost.HostAddress6, ((IPEndPoint)connection.RemoteEndPoint!).Address.ToString());
    }
}
