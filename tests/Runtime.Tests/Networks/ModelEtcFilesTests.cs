using Container.Runtime.Networks;
using Xunit;

namespace Container.Tests.Networks;

/// <summary>A container's /etc/hosts and /etc/resolv.conf as docker writes them.</summary>
public sealed class ModelEtcFilesTests
{
    private const string Localhost =
        "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n";

    [Fact]
    public void HostsHasLocalhostTheExtraEntriesAndItsOwnNameLast()
    {
        Assert.Equal(Localhost + "10.1.2.3\tdb\n10.88.0.7\tweb\nfd00::7\tweb\n", EtcFiles.Hosts("web", null, ["10.88.0.7", "fd00::7"], [("db", "10.1.2.3")]));
        Assert.Equal(Localhost, EtcFiles.Hosts("alone", null, [], []));
        Assert.EndsWith("10.88.0.7\tweb.example.test web\n", EtcFiles.Hosts("web", "example.test", ["10.88.0.7"], []));
    }

    [Fact]
    public void HostNetworkHostsIsTheHostsWithTheExtraEntriesAfter() =>
        Assert.Equal("127.0.0.1 localhost\n10.1.2.3\tdb\n", EtcFiles.HostsOfHost("127.0.0.1 localhost", [("db", "10.1.2.3")]));

    [Fact]
    public void TheHostsServersAreKeptWithItsSearchAndOptions() =>
        Assert.Equal("search corp.example\nnameserver 192.0.2.1\nnameserver 192.0.2.2\noptions ndots:2 edns0\n",
            ResolvConf("# a comment\nsearch corp.example\nnameserver 192.0.2.1\nnameserver 192.0.2.2\noptions ndots:2 edns0\n"));

    [Fact]
    public void SystemdResolvedsStubIsReplacedByItsUpstreamServers() =>
        Assert.Equal("search lan\nnameserver 192.0.2.9\n",
            ResolvConf("nameserver 127.0.0.53\noptions edns0 trust-ad\nsearch lan\n", systemd: "nameserver 192.0.2.9\nsearch lan\n"));

    [Fact]
    public void LoopbackServersAreDroppedAndDockersFallbackTakesTheirPlace()
    {
        Assert.Equal("nameserver 192.0.2.1\n", ResolvConf("nameserver 127.0.0.1\nnameserver 192.0.2.1\nnameserver ::1\n"));
        Assert.Equal("nameserver 8.8.8.8\nnameserver 8.8.4.4\n", ResolvConf("nameserver 127.0.0.53\n"));
        Assert.Equal("nameserver 8.8.8.8\nnameserver 8.8.4.4\nnameserver 2001:4860:4860::8888\nnameserver 2001:4860:4860::8844\n", ResolvConf("", ipv6: true));
        // IPv6 servers only for a container that has IPv6
        Assert.Equal("nameserver 192.0.2.1\n", ResolvConf("nameserver 2001:db8::1\nnameserver 192.0.2.1\n"));
        Assert.Equal("nameserver 2001:db8::1\nnameserver 192.0.2.1\n", ResolvConf("nameserver 2001:db8::1\nnameserver 192.0.2.1\n", ipv6: true));
    }

    [Fact]
    public void OnTheHostsNetworkItsLoopbackServersAreReachableAndKept() =>
        Assert.Equal("nameserver 127.0.0.53\n", EtcFiles.ResolvConf("nameserver 127.0.0.53\n", "nameserver 192.0.2.9\n", hostNetwork: true, ipv6: false, null, null, null));

    [Fact]
    public void DnsOptionsReplaceWhatTheyName() =>
        Assert.Equal("search a.example b.example\nnameserver 192.0.2.53\noptions timeout:1\n",
            EtcFiles.ResolvConf("search lan\nnameserver 192.0.2.1\noptions ndots:2\n", null, hostNetwork: false, ipv6: false,
                ["192.0.2.53"], ["a.example", "b.example"], ["timeout:1"]));

    [Fact]
    public void ADotSearchMeansNoSearch() =>
        Assert.Equal("nameserver 192.0.2.1\n", EtcFiles.ResolvConf("search lan\nnameserver 192.0.2.1\n", null, false, false, null, ["."], null));

    [Fact]
    public void ANetworkWithDnsConnectedPutsItsResolversFirstAndItsDisconnectionTakesThemAway()
    {
        var before = "search lan\nnameserver 192.0.2.1\noptions ndots:2\n";
        var connected = EtcFiles.WithResolvers(before, ["10.89.0.1"]);
        Assert.Equal("search dns.podman lan\nnameserver 10.89.0.1\nnameserver 192.0.2.1\noptions ndots:2\n", connected);
        Assert.Equal(connected, EtcFiles.WithResolvers(connected, ["10.89.0.1"]));
        Assert.Equal("search dns.podman\nnameserver 10.89.0.1\n", EtcFiles.WithResolvers("", ["10.89.0.1"]));
        Assert.Equal("search dns.podman lan\nnameserver 192.0.2.1\noptions ndots:2\n", EtcFiles.WithoutResolvers(connected, ["10.89.0.1"]));
    }

    private static string ResolvConf(string host, string? systemd = null, bool ipv6 = false) =>
        EtcFiles.ResolvConf(host, systemd, hostNetwork: false, ipv6, null, null, null);
}
