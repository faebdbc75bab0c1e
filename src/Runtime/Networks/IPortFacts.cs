using System.Net;

namespace Container.Runtime.Networks;

/// <summary>What a TCP connect probe of a published port met.</summary>
public enum ProbeOutcome
{
    /// <summary>Connected, and not to a socket of the host's own: the container answered.</summary>
    Answered,
    /// <summary>Refused: nothing took the connection.</summary>
    Refused,
    /// <summary>No answer within the probe's time: something dropped it.</summary>
    NoAnswer,
    /// <summary>Connected to the host's own socket on the port (the one the monitor holds it by): nothing forwarded it to the container.</summary>
    HostSocket,
}

/// <summary>
/// What Test-ContainerPort reads of the kernel and tries, for one running container: the
/// host's side in its network namespace (the host's, or the one CONTAINER_HOST_NETNS names),
/// the container's in its own. Only reads and TCP connect probes: nothing is changed.
/// </summary>
internal interface IPortFacts
{
    /// <summary>The host's addresses, by interface (lo's and the bridges' too).</summary>
    IReadOnlyList<(string Interface, IPAddress Address)> HostAddresses { get; }

    /// <summary>The host's IPv4 routes.</summary>
    IReadOnlyList<Route> HostRoutes { get; }

    /// <summary>net.ipv4.ip_forward on the host.</summary>
    bool HostForwards { get; }

    /// <summary>The host's nftables ruleset, as nftables JSON.</summary>
    string Ruleset { get; }

    /// <summary>The sockets that listen (tcp) or are bound (udp) inside the container.</summary>
    IReadOnlyList<ListeningSocket> ContainerSockets { get; }

    /// <summary>The container's IPv4 routes.</summary>
    IReadOnlyList<Route> ContainerRoutes { get; }

    /// <summary>A TCP connect from the host to address:port, from the source address given (else the kernel's choice).</summary>
    ProbeOutcome Connect(IPAddress address, int port, IPAddress? source);
}
