namespace Container.Runtime.Networks;

/// <summary>What stands in a published port's way.</summary>
public enum PortProblemKind
{
    /// <summary>Nothing listens on the container port inside the container.</summary>
    NotListening,
    /// <summary>What listens inside does so on the container's loopback only: forwarded traffic comes to its address.</summary>
    ListeningOnLoopback,
    /// <summary>The port is published on one host address only: the others do not forward it.</summary>
    BindAddress,
    /// <summary>No rule of ours forwards it: the host's firewall was reloaded (Repair-ContainerNetwork applies them again).</summary>
    NotForwarded,
    /// <summary>Someone else's forward chain drops what is forwarded to the container.</summary>
    FirewallPolicy,
    /// <summary>The host does not forward IPv4 (net.ipv4.ip_forward is 0).</summary>
    ForwardingOff,
    /// <summary>A route is missing: the host's to the container, or the container's default route back.</summary>
    NoRoute,
    /// <summary>The container is on internal networks only: no port of it is published.</summary>
    InternalNetwork,
}

/// <summary>One thing in a published port's way, said so that a user can act on it.</summary>
public sealed record PortProblem(PortProblemKind Kind, string Message)
{
    public override string ToString() => $"{Kind}: {Message}";
}

/// <summary>
/// Test-ContainerPort's answer for one published port: whether it is reached from the host's
/// loopback, from the host's own address and from another container (through the host's
/// address, hairpin), and what stands in the way. Null: not probed (udp, or no such address).
/// </summary>
public sealed record PortReachability
{
    public required string Container { get; init; }
    public required PortMapping Port { get; init; }
    /// <summary>The host address the host-address and container probes went to: the published one, or the host's first own address.</summary>
    public string? HostAddress { get; init; }
    public bool? FromLoopback { get; init; }
    public bool? FromHostAddress { get; init; }
    public bool? FromContainer { get; init; }
    public required IReadOnlyList<PortProblem> Problems { get; init; }

    public int HostPort => Port.HostPort;
    public int ContainerPort => Port.ContainerPort;
    public string Protocol => Port.Protocol;

    /// <summary>Reached from every vantage point probed, and nothing in its way.</summary>
    public bool Reachable => FromLoopback != false && FromHostAddress != false && FromContainer != false && Problems.Count == 0;

    public override string ToString() => $"{Container} {Port}: {(Reachable ? "reachable" : string.Join("; ", Problems))}";
}
