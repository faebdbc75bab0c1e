using System.Net;

namespace Container.Runtime.Networks;

/// <summary>
/// Test-ContainerPort's decisions (moby #4737, #41872 ask for them): for a running container's
/// published port, which vantage points to probe at which address, and from the kernel's state
/// what stands in the way of those that fail, or of hosts beyond. The facts are read and probed
/// by an <see cref="IPortFacts"/>; nothing here touches the kernel.
/// </summary>
internal static class PortDiagnosis
{
    public static PortReachability Diagnose(string container, NetworkSetup setup, PortMapping port, IPortFacts facts)
    {
        var problems = new List<PortProblem>();
        // the ports lead to the first network with a way out (container-network's firewall.c)
        if (setup.Attachments.FirstOrDefault(a => !a.Internal) is not { } network)
        {
            problems.Add(new(PortProblemKind.InternalNetwork, $"{container} is on internal networks only ({string.Join(", ", setup.Attachments.Select(a => a.Network))}): no port of it is published"));
            return new PortReachability { Container = container, Port = port, FromLoopback = false, FromHostAddress = false, FromContainer = false, Problems = problems };
        }
        var address = IPAddress.Parse(network.Address.Split('/')[0]);
        Inside(container, port, address, facts, problems);
        Routes(container, network, address, facts, problems);
        var firewall = FirewallRuleset.Of(facts.Ruleset, setup.ContainerId);
        if (!firewall.HasOurTable || !firewall.HasDnat)
            problems.Add(new(PortProblemKind.NotForwarded, $"no rule forwards {port.HostSide} to {container} ({(firewall.HasOurTable ? "its rules are" : $"table {FirewallRuleset.OurTable} is")} missing: was the host's firewall reloaded?); Repair-ContainerNetwork applies them again"));
        foreach (var chain in firewall.DroppingChains)
            problems.Add(new(PortProblemKind.FirewallPolicy, $"chain {chain} drops forwarded traffic (policy drop) and accepts none of {container}'s: other hosts and containers cannot reach it; Repair-ContainerNetwork adds its accept rules there"));
        if (!facts.HostForwards)
            problems.Add(new(PortProblemKind.ForwardingOff, "the host does not forward IPv4 (net.ipv4.ip_forward is 0): other hosts and containers cannot reach it"));

        var published = port.HostIp.Length == 0 ? null : IPAddress.Parse(port.HostIp);
        var onLoopback = published == null || IPAddress.IsLoopback(published);
        var onHostAddress = published == null || !IPAddress.IsLoopback(published);
        if (!onLoopback)
            problems.Add(new(PortProblemKind.BindAddress, $"it is published on {port.HostIp} only, not on the host's loopback"));
        if (!onHostAddress)
            problems.Add(new(PortProblemKind.BindAddress, $"it is published on {port.HostIp} only: not on the host's own addresses, for other hosts and containers"));
        var hostAddress = published != null && onHostAddress ? published : HostAddressOf(setup, facts);
        if (port.Protocol != "tcp")
            return new PortReachability { Container = container, Port = port, HostAddress = hostAddress?.ToString(), Problems = problems };

        // from the bridge's own address: what a container's connection to the host's address
        // becomes after DNAT, made on the host: so the forward hook's verdict is read, not met
        var gateway = network.Gateway.Length > 0 ? IPAddress.Parse(network.Gateway) : null;
        var loopback = published?.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? IPAddress.IPv6Loopback : IPAddress.Loopback;
        var fromLoopback = onLoopback && Probe(facts, loopback, port, null, container, problems);
        bool? fromHost = !onHostAddress ? false : hostAddress == null ? null : Probe(facts, hostAddress, port, null, container, problems);
        bool? fromContainer = !onHostAddress ? false : hostAddress == null || gateway == null ? null
            : Probe(facts, hostAddress, port, gateway, container, problems) && firewall.DroppingChains.Count == 0 && facts.HostForwards;
        return new PortReachability
        {
            Container = container,
            Port = port,
            HostAddress = hostAddress?.ToString(),
            FromLoopback = fromLoopback,
            FromHostAddress = fromHost,
            FromContainer = fromContainer,
            Problems = problems,
        };
    }

    /// <summary>What listens on the container port inside: on every address or the container's, or only on its loopback, or nothing.</summary>
    private static void Inside(string container, PortMapping port, IPAddress address, IPortFacts facts, List<PortProblem> problems)
    {
        var sockets = facts.ContainerSockets.Where(s => s.Protocol == port.Protocol && s.Port == port.ContainerPort).ToList();
        if (sockets.Any(s => s.Address.Equals(IPAddress.Any) || s.Address.Equals(IPAddress.IPv6Any) || s.Address.Equals(address)))
            return;
        problems.Add(sockets.Count == 0
            ? new(PortProblemKind.NotListening, $"nothing in {container} {(port.Protocol == "tcp" ? "listens" : "is bound")} on {port.ContainerSide}")
            : new(PortProblemKind.ListeningOnLoopback, $"{container} listens on {string.Join(", ", sockets.Select(s => $"{s.Address}:{s.Port}"))} only; forwarded traffic comes to {address}:{port.ContainerPort}"));
    }

    private static void Routes(string container, NetworkAttachment network, IPAddress address, IPortFacts facts, List<PortProblem> problems)
    {
        var via = ProcNet.RouteInterface(facts.HostRoutes, address);
        if (via != network.Bridge)
            problems.Add(new(PortProblemKind.NoRoute, via == null
                ? $"the host has no route to {container}'s address {address} (is bridge {network.Bridge} there, with its address?)"
                : $"the host routes {container}'s address {address} through {via}, not its network's bridge {network.Bridge}"));
        if (!ProcNet.HasDefaultRoute(facts.ContainerRoutes))
            problems.Add(new(PortProblemKind.NoRoute, $"{container} has no default route: hosts beyond its network get no answer"));
    }

    /// <summary>The host's first own IPv4 address that is not loopback nor a bridge of ours: where other hosts reach it.</summary>
    private static IPAddress? HostAddressOf(NetworkSetup setup, IPortFacts facts)
    {
        var subnets = setup.Attachments.Select(a => Subnet.Parse(a.Subnet, "subnet")).ToList();
        return facts.HostAddresses
            .Where(a => a.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && !IPAddress.IsLoopback(a.Address))
            .Where(a => a.Interface != ContainerNetwork.DefaultBridge && !a.Interface.StartsWith(ContainerNetwork.BridgePrefix, StringComparison.Ordinal) && !subnets.Any(s => s.Contains(a.Address)))
            .Select(a => a.Address).FirstOrDefault();
    }

    /// <summary>A connect probe; one the host's own socket took says no rule forwarded it, whatever the ruleset reads as.</summary>
    private static bool Probe(IPortFacts facts, IPAddress address, PortMapping port, IPAddress? source, string container, List<PortProblem> problems)
    {
        var outcome = facts.Connect(address, port.HostPort, source);
        if (outcome == ProbeOutcome.HostSocket && !problems.Any(p => p.Kind == PortProblemKind.NotForwarded))
            problems.Add(new(PortProblemKind.NotForwarded, $"a connection to {address}:{port.HostPort} came to the host's own socket, not to {container}: nothing forwards it; Repair-ContainerNetwork applies its rules again"));
        return outcome == ProbeOutcome.Answered;
    }
}
