using Container.Runtime;
using Container.Runtime.Containers;
using Container.Runtime.Networks;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Networks;

/// <summary>
/// What the engine decides of name resolution, on a fake driver: which networks have DNS, the
/// resolv.conf of a member (its networks' resolvers), and what the setup tells container-network
/// (the names it answers, the servers it forwards to). No kernel network is touched.
/// </summary>
public sealed class ModelDnsTests : IDisposable
{
    private readonly ModelRecordingDriver driver = new();
    private readonly FakeHostStore store;

    public ModelDnsTests() => store = new FakeHostStore((_, fakes) => fakes.Seams with { Network = driver });

    public void Dispose() => store.Dispose();

    [Fact]
    public void UserDefinedNetworksHaveDnsUnlessDisabledAndTheDefaultNetworkHasNone()
    {
        Assert.True(store.Engine.Networks.Create(new NetworkSpec { Name = "app" }).DnsEnabled);
        Assert.False(store.Engine.Networks.Create(new NetworkSpec { Name = "quiet", DisableDns = true }).DnsEnabled);
        Assert.False(store.Engine.Networks.Get("bridge").DnsEnabled);
        Assert.True(store.Engine.Networks.Get("app").DnsEnabled);
        Assert.False(store.Engine.Networks.Get("quiet").DnsEnabled);
    }

    [Fact]
    public void OnANetworkWithDnsTheGatewaysAreTheNameServersAndItsDomainIsSearchedFirst()
    {
        Assert.Equal("search dns.podman corp.example\nnameserver 10.89.0.1\nnameserver fd00:89::1\noptions ndots:2\n",
            EtcFiles.ResolvConf("search corp.example\nnameserver 192.0.2.1\noptions ndots:2\n", null, hostNetwork: false, ipv6: true,
                dns: ["192.0.2.53"], search: null, options: null, resolvers: ["10.89.0.1", "fd00:89::1"]));
        Assert.Equal("search dns.podman lan\nnameserver 10.89.0.1\n",
            EtcFiles.ResolvConf("nameserver 192.0.2.1\n", null, hostNetwork: false, ipv6: false, null, search: ["lan"], null, resolvers: ["10.89.0.1"]));
    }

    [Fact]
    public void TheResolversUpstreamServersAreTheContainersDnsElseTheHostsItCouldReach()
    {
        Assert.Equal(["192.0.2.53"], EtcFiles.Servers("nameserver 192.0.2.1\n", null, ipv6: false, ["192.0.2.53"]));
        Assert.Equal(["192.0.2.1"], EtcFiles.Servers("nameserver 127.0.0.1\nnameserver 192.0.2.1\n", null, ipv6: false, null));
        Assert.Equal(["192.0.2.9"], EtcFiles.Servers("nameserver 127.0.0.53\n", "nameserver 192.0.2.9\n", ipv6: false, null));
    }

    [SkippableFact]
    public void AMemberOfANetworkWithDnsIsAnsweredByNameAliasAndShortIdAndForwardedToItsDns()
    {
        Skip.If(NetworkResolver.Find() == null, "aardvark-dns is not installed (Debian's package aardvark-dns)");
        var network = store.Engine.Networks.Create(new NetworkSpec { Name = "app", Subnet6 = "fd00:89::/64" });
        var created = store.Containers.Create(new ContainerSpec
        {
            Image = FakeHostStore.Image, Name = "web", Command = ["true"], Network = "app", Alias = ["www", "site"], Dns = ["192.0.2.53"],
        });

        // the host's search domains and options follow: their servers are the resolver's to forward to
        var resolvConf = ResolvConfOf(created);
        Assert.StartsWith("search dns.podman", resolvConf);
        Assert.Equal([$"nameserver {network.Gateway}", $"nameserver {network.Gateway6}"], resolvConf.Split('\n').Where(l => l.StartsWith("nameserver ", StringComparison.Ordinal)));
        store.Containers.Start("web");

        var setup = driver.SetUp.Single();
        Assert.Equal(["web", "www", "site", Ids.Short(created.Id)], setup.Attachments.Single().DnsNames);
        Assert.Equal((NetworkResolver.DirectoryOf(store.Paths), NetworkResolver.Find()), (setup.Dns!.Directory, setup.Dns.Resolver));
        Assert.Equal(["192.0.2.53"], setup.Dns.Servers);
    }

    [Fact]
    public void AMemberOfANetworkWithoutDnsKeepsDockersResolvConfAndTellsTheResolverNothing()
    {
        store.Engine.Networks.Create(new NetworkSpec { Name = "quiet", DisableDns = true });
        var created = store.Containers.Create(new ContainerSpec { Image = FakeHostStore.Image, Name = "db", Command = ["true"], Network = "quiet", Dns = ["192.0.2.53"] });

        Assert.Contains("nameserver 192.0.2.53\n", ResolvConfOf(created));
        Assert.DoesNotContain(NetworkResolver.SearchDomain, ResolvConfOf(created));
        store.Containers.Start("db");

        var setup = driver.SetUp.Single();
        Assert.Null(setup.Attachments.Single().DnsNames);
        Assert.Null(setup.Dns);
    }

    private static string ResolvConfOf(ContainerInfo container) => File.ReadAllText(Path.Combine(container.Path, EtcFiles.ResolvConfFile));
}
