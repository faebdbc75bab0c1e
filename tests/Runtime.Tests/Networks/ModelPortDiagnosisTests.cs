using System.Net;
using Container.Runtime.Networks;
using Xunit;

namespace Container.Tests.Networks;

/// <summary>
/// Test-ContainerPort's decisions on facts a test gives: which vantage points are probed where,
/// and what each state of the kernel (sockets, routes, ruleset, forwarding) is said to stand in
/// the way. The probes and reads themselves are the Pester kernel suite's.
/// </summary>
public sealed class ModelPortDiagnosisTests
{
    internal const string Id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    internal static readonly IPAddress Host = IPAddress.Parse("198.51.100.1");
    internal static readonly IPAddress Gateway = IPAddress.Parse("10.88.0.1");
    private static readonly IPAddress Container = IPAddress.Parse("10.88.0.2");

    private static NetworkSetup Setup(bool @internal = false, params PortMapping[] ports) =>
        new(Id, "/run/container/netns/" + Id,
            [new NetworkAttachment("bridge", "container0", "eth0", "veth01234567", "10.88.0.0/16", "10.88.0.2/16", "10.88.0.1", 1500, @internal)], ports);

    private static readonly PortMapping Web = new("", 8080, 80, "tcp");

    internal const string OurTable = """{"table": {"family": "inet", "name": "container", "handle": 1}}""";
    /// <summary>How container-network tags the container's rules on a network: its id and the network's host veth.</summary>
    internal const string Tag = Id + "-veth01234567";

    internal static readonly string OurDnat = Dnat(Tag);

    /// <summary>The container's DNAT rule in our prerouting chain.</summary>
    internal static string Dnat(string id) =>
        "{\"rule\": {\"family\": \"inet\", \"table\": \"container\", \"chain\": \"prerouting\", \"handle\": 9, \"comment\": \"" + id + "\", \"expr\": []}}";

    internal static string Rules(params string[] items) => """{"nftables": [{"metainfo": {"version": "1.0.6"}}, """ + string.Join(", ", items) + "]}";

    private static string Chain(string family, string table, string name, string? hook, string? policy) =>
        $"{{\"chain\": {{\"family\": \"{family}\", \"table\": \"{table}\", \"name\": \"{name}\", \"handle\": 1"
        + (hook != null ? $", \"type\": \"filter\", \"hook\": \"{hook}\", \"prio\": 0, \"policy\": \"{policy}\"" : "") + "}}";

    private static string Accept(string family, string table, string chain) =>
        $"{{\"rule\": {{\"family\": \"{family}\", \"table\": \"{table}\", \"chain\": \"{chain}\", \"handle\": 5, \"comment\": \"{Tag}\", \"expr\": []}}}}";

    private static PortReachability Diagnose(ModelPortFacts facts, PortMapping? port = null, bool @internal = false) =>
        PortDiagnosis.Diagnose("web", Setup(@internal, port ?? Web), port ?? Web, facts);

    [Fact]
    public void A_port_with_a_server_and_nothing_in_its_way_is_reached_from_each_vantage_point()
    {
        var facts = new ModelPortFacts();

        var result = Diagnose(facts);

        Assert.True(result.Reachable);
        Assert.Empty(result.Problems);
        Assert.Equal((true, true, true), (result.FromLoopback, result.FromHostAddress, result.FromContainer));
        Assert.Equal("198.51.100.1", result.HostAddress);
        // loopback, the host's address, and the host's address from the bridge's
        Assert.Equal([(IPAddress.Loopback, 8080, null), (Host, 8080, null), (Host, 8080, Gateway)], facts.Probes);
    }

    [Fact]
    public void The_host_address_is_neither_loopback_nor_a_bridge_of_ours()
    {
        var facts = new ModelPortFacts();
        facts.Addresses.Clear();
        facts.Addresses.AddRange([("lo", IPAddress.Loopback), ("container0", Gateway), ("ctr-1234abcd", IPAddress.Parse("10.89.0.1")), ("eth1", IPAddress.Parse("192.0.2.7"))]);

        Assert.Equal("192.0.2.7", Diagnose(facts).HostAddress);
    }

    [Fact]
    public void A_host_without_an_address_of_its_own_has_those_vantage_points_unprobed()
    {
        var facts = new ModelPortFacts();
        facts.Addresses.RemoveAll(a => a.Interface == "eth0");

        var result = Diagnose(facts);

        Assert.Equal((true, (bool?)null, (bool?)null), (result.FromLoopback, result.FromHostAddress, result.FromContainer));
        Assert.Null(result.HostAddress);
    }

    [Fact]
    public void Nothing_listening_inside_is_said_so()
    {
        var facts = new ModelPortFacts { ContainerSockets = [new("tcp", IPAddress.Any, 81), new("udp", IPAddress.Any, 80)] };
        facts.EveryProbe(ProbeOutcome.Refused);

        var result = Diagnose(facts);

        var problem = Assert.Single(result.Problems);
        Assert.Equal(PortProblemKind.NotListening, problem.Kind);
        Assert.Contains("80/tcp", problem.Message);
        Assert.Equal((false, false, false), (result.FromLoopback, result.FromHostAddress, result.FromContainer));
        Assert.False(result.Reachable);
    }

    [Theory]
    [InlineData("127.0.0.1", PortProblemKind.ListeningOnLoopback)]
    [InlineData("10.88.0.2", null)]
    [InlineData("::", null)]
    public void A_server_is_reached_on_every_address_or_the_containers_but_not_on_its_loopback_only(string address, PortProblemKind? kind)
    {
        var result = Diagnose(new ModelPortFacts { ContainerSockets = [new("tcp", IPAddress.Parse(address), 80)] });

        Assert.Equal(kind, result.Problems.SingleOrDefault()?.Kind);
    }

    [Fact]
    public void A_port_published_on_127_0_0_1_is_reached_from_loopback_only_for_its_bind_address()
    {
        var facts = new ModelPortFacts();

        var result = Diagnose(facts, new PortMapping("127.0.0.1", 8080, 80, "tcp"));

        Assert.Equal((true, false, false), (result.FromLoopback, result.FromHostAddress, result.FromContainer));
        Assert.Equal(PortProblemKind.BindAddress, Assert.Single(result.Problems).Kind);
        Assert.Equal([(IPAddress.Loopback, 8080, null)], facts.Probes);
    }

    [Fact]
    public void A_port_published_on_one_host_address_is_probed_there_and_not_on_loopback()
    {
        var facts = new ModelPortFacts();
        facts.Addresses.Add(("eth1", IPAddress.Parse("192.0.2.7")));

        var result = Diagnose(facts, new PortMapping("192.0.2.7", 8080, 80, "tcp"));

        Assert.Equal((false, true, true), (result.FromLoopback, result.FromHostAddress, result.FromContainer));
        Assert.Equal("192.0.2.7", result.HostAddress);
        Assert.Equal(PortProblemKind.BindAddress, Assert.Single(result.Problems).Kind);
    }

    [Fact]
    public void A_flushed_ruleset_is_not_forwarded_and_Repair_ContainerNetwork_is_named()
    {
        var facts = new ModelPortFacts { Ruleset = Rules(Chain("ip", "filter", "INPUT", "input", "accept")) };
        facts.EveryProbe(ProbeOutcome.HostSocket);

        var result = Diagnose(facts);

        var problem = Assert.Single(result.Problems);
        Assert.Equal(PortProblemKind.NotForwarded, problem.Kind);
        Assert.Contains("inet container", problem.Message);
        Assert.Contains("Repair-ContainerNetwork", problem.Message);
        Assert.Equal((false, false, false), (result.FromLoopback, result.FromHostAddress, result.FromContainer));
    }

    [Fact]
    public void A_probe_the_hosts_own_socket_took_is_not_forwarded_whatever_the_ruleset_reads()
    {
        var facts = new ModelPortFacts();
        facts.Outcomes[(IPAddress.Loopback, null)] = ProbeOutcome.HostSocket;

        var result = Diagnose(facts);

        Assert.Equal(PortProblemKind.NotForwarded, Assert.Single(result.Problems).Kind);
        Assert.False(result.FromLoopback);
    }

    [Theory]
    [InlineData("inet", "strict", "forward", "forward", "drop", true)]
    [InlineData("ip", "filter", "FORWARD", "forward", "drop", true)]
    [InlineData("ip6", "filter", "FORWARD", "forward", "drop", true)]
    [InlineData("ip", "filter", "FORWARD", "forward", "accept", false)]
    [InlineData("ip", "filter", "INPUT", "input", "drop", false)]
    [InlineData("bridge", "filter", "forward", "forward", "drop", false)]
    [InlineData("inet", "strict", "DOCKER-USER", null, null, false)]
    public void Another_tables_forward_chain_with_policy_drop_stands_in_the_way_of_other_hosts_and_containers(
        string family, string table, string chain, string? hook, string? policy, bool drops)
    {
        var result = Diagnose(new ModelPortFacts { Ruleset = Rules(OurTable, OurDnat, Chain(family, table, chain, hook, policy)) });

        Assert.Equal(drops, result.Problems.Any(p => p.Kind == PortProblemKind.FirewallPolicy && p.Message.Contains($"{family} {table} {chain}")));
        Assert.Equal(drops ? false : true, result.FromContainer);
        Assert.True(result.FromLoopback);
    }

    [Fact]
    public void A_dropping_chain_that_holds_the_containers_accepts_lets_it_through()
    {
        var result = Diagnose(new ModelPortFacts { Ruleset = Rules(OurTable, OurDnat, Chain("ip", "filter", "FORWARD", "forward", "drop"), Accept("ip", "filter", "FORWARD")) });

        Assert.True(result.Reachable);
    }

    [Fact]
    public void Forwarding_off_stands_in_the_way_of_other_containers()
    {
        var result = Diagnose(new ModelPortFacts { HostForwards = false });

        Assert.Equal(PortProblemKind.ForwardingOff, Assert.Single(result.Problems).Kind);
        Assert.Equal((true, true, false), (result.FromLoopback, result.FromHostAddress, result.FromContainer));
    }

    [Fact]
    public void A_missing_route_either_way_is_said_so()
    {
        var noRouteBack = Diagnose(new ModelPortFacts { ContainerRoutes = [new("eth0", IPAddress.Parse("10.88.0.0"), 16)] });
        var noRouteThere = Diagnose(new ModelPortFacts { HostRoutes = [new("eth0", IPAddress.Parse("198.51.100.0"), 24)] });
        var elsewhere = Diagnose(new ModelPortFacts { HostRoutes = [new("eth0", IPAddress.Any, 0)] });

        Assert.Contains("no default route", Assert.Single(noRouteBack.Problems, p => p.Kind == PortProblemKind.NoRoute).Message);
        Assert.Contains("no route to web's address 10.88.0.2", Assert.Single(noRouteThere.Problems, p => p.Kind == PortProblemKind.NoRoute).Message);
        Assert.Contains("through eth0", Assert.Single(elsewhere.Problems, p => p.Kind == PortProblemKind.NoRoute).Message);
    }

    [Fact]
    public void A_udp_port_is_not_probed_but_its_socket_is_read()
    {
        var facts = new ModelPortFacts();

        var result = Diagnose(facts, new PortMapping("", 5353, 53, "udp"));

        Assert.Empty(facts.Probes);
        Assert.Equal(((bool?)null, (bool?)null, (bool?)null), (result.FromLoopback, result.FromHostAddress, result.FromContainer));
        Assert.Equal(PortProblemKind.NotListening, Assert.Single(result.Problems).Kind);
        Assert.Contains("53/udp", result.Problems[0].Message);
    }

    [Fact]
    public void A_container_on_internal_networks_only_publishes_nothing()
    {
        var facts = new ModelPortFacts();

        var result = Diagnose(facts, @internal: true);

        Assert.Equal(PortProblemKind.InternalNetwork, Assert.Single(result.Problems).Kind);
        Assert.Empty(facts.Probes);
        Assert.False(result.Reachable);
    }

    [Fact]
    public void The_kernels_tables_are_read_as_proc_net_writes_them()
    {
        const string tcp = """
              sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 00000000:0050 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0 100 0 0 10 0
               1: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2 1 0 100 0 0 10 0
               2: 0100007F:1F90 0100007F:A000 01 00000000:00000000 00:00000000 00000000     0        0 3 1 0 100 0 0 10 0
            """;
        const string tcp6 = """
              sl  local_address                         remote_address                        st
               0: 00000000000000000000000001000000:0051 00000000000000000000000000000000:0000 0A
            """;
        const string route = """
            Iface	Destination	Gateway 	Flags	RefCnt	Use	Metric	Mask		MTU	Window	IRTT
            eth0	00000000	010058C6	0003	0	0	0	00000000	0	0	0
            container0	0000580A	00000000	0001	0	0	0	0000FFFF	0	0	0
            """;

        Assert.Equal([new ListeningSocket("tcp", IPAddress.Any, 80), new ListeningSocket("tcp", IPAddress.Loopback, 8080)], ProcNet.Listening(tcp, "tcp"));
        Assert.Equal([new ListeningSocket("tcp", IPAddress.IPv6Loopback, 81)], ProcNet.Listening(tcp6, "tcp"));
        Assert.True(ProcNet.HasConnection(tcp, new IPEndPoint(IPAddress.Loopback, 8080), new IPEndPoint(IPAddress.Loopback, 0xA000)));
        Assert.False(ProcNet.HasConnection(tcp, new IPEndPoint(IPAddress.Loopback, 8080), new IPEndPoint(IPAddress.Loopback, 0xA001)));
        var routes = ProcNet.Routes(route).ToList();
        Assert.Equal([new Route("eth0", IPAddress.Any, 0), new Route("container0", IPAddress.Parse("10.88.0.0"), 16)], routes);
        Assert.Equal("container0", ProcNet.RouteInterface(routes, Container));
        Assert.Equal("eth0", ProcNet.RouteInterface(routes, Host));
        Assert.True(ProcNet.HasDefaultRoute(routes));
    }
}
