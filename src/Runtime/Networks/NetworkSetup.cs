namespace Container.Runtime.Networks;

/// <summary>Everything the driver needs to set up, and later tear down, one container's network.</summary>
/// <param name="ContainerId">Tags what is made for the container (firewall rules, host veths), so teardown finds it.</param>
/// <param name="NamespacePath">Where the container's network namespace is bind-mounted, under the run root.</param>
/// <param name="Dns">The resolver its DNS networks' entries go to; null when none of its networks has DNS.</param>
internal sealed record NetworkSetup(
    string ContainerId,
    string NamespacePath,
    IReadOnlyList<NetworkAttachment> Attachments,
    IReadOnlyList<PortMapping> Ports,
    NetworkDns? Dns = null);

/// <summary>The container's entries in the networks' resolver (aardvark-dns, as netavark runs it).</summary>
/// <param name="Directory">The resolver's config directory, under the run root: a file per network, its pid file.</param>
/// <param name="Resolver">The aardvark-dns binary, started when the first entry is added.</param>
/// <param name="Servers">Where the resolver forwards the container's queries for names that are not members'.</param>
internal sealed record NetworkDns(string Directory, string Resolver, IReadOnlyList<string> Servers);

/// <summary>The container on one bridge network: a veth pair and the addresses its lease gave.</summary>
/// <param name="Network">The network's name.</param>
/// <param name="Bridge">The host's bridge interface of the network.</param>
/// <param name="Interface">The interface inside the container (eth0, eth1, ...).</param>
/// <param name="HostInterface">The host's end of the veth pair.</param>
/// <param name="Subnet">The network's subnet, in CIDR form (10.88.0.0/16).</param>
/// <param name="Address">The container's address with the subnet's prefix (10.88.0.5/16).</param>
/// <param name="Gateway">The bridge's address; the container's default route, unless the network is internal.</param>
/// <param name="Internal">No route out and no masquerade.</param>
/// <param name="DnsNames">The names the network's resolver answers with the container's addresses (name, aliases, short id); null on a network without DNS.</param>
internal sealed record NetworkAttachment(
    string Network,
    string Bridge,
    string Interface,
    string HostInterface,
    string Subnet,
    string Address,
    string Gateway,
    int Mtu,
    bool Internal,
    string? Subnet6 = null,
    string? Address6 = null,
    string? Gateway6 = null,
    IReadOnlyList<string>? DnsNames = null);

/// <summary>A published port: the host's address and port forwarded to the container's port.</summary>
/// <param name="HostIp">The host address it is published on; empty for every address.</param>
/// <param name="HostPort">0 until the container starts, for a port to be chosen then (-Publish 80).</param>
/// <param name="Protocol">tcp or udp.</param>
[System.Text.Json.Serialization.JsonConverter(typeof(Containers.PortMappingConverter))]
public sealed record PortMapping(string HostIp, int HostPort, int ContainerPort, string Protocol)
{
    /// <summary>As docker ps shows it: 0.0.0.0:8080-&gt;80/tcp; one not yet given a host port: 80/tcp.</summary>
    public override string ToString() => HostPort == 0 ? ContainerSide : $"{HostSide}->{ContainerSide}";

    /// <summary>The container's side: 80/tcp.</summary>
    public string ContainerSide => $"{ContainerPort}/{Protocol}";

    /// <summary>The host's side: 0.0.0.0:8080, [::1]:8080.</summary>
    public string HostSide => $"{(HostIp.Length == 0 ? "0.0.0.0" : HostIp.Contains(':') ? $"[{HostIp}]" : HostIp)}:{HostPort}";

    /// <summary>A container port as docker port takes it: 80 (tcp), 80/udp.</summary>
    public static (int Port, string Protocol) ParseContainerPort(string text)
    {
        var slash = text.IndexOf('/');
        var protocol = slash < 0 ? "tcp" : text[(slash + 1)..].ToLowerInvariant();
        return int.TryParse(slash < 0 ? text : text[..slash], System.Globalization.NumberStyles.None, null, out var port) && port is > 0 and <= 65535 && protocol is "tcp" or "udp"
            ? (port, protocol)
            : throw Errors.Errors.InvalidArgument("InvalidPort", $"'{text}' is not a container port: give 80, or 80/udp.", text);
    }

    /// <summary>
    /// docker ps's PORTS: each mapping, runs of consecutive ports on one address and protocol
    /// written as a range (0.0.0.0:8000-8010-&gt;80-90/tcp), joined by ", ".
    /// </summary>
    public static string Format(IEnumerable<PortMapping> ports)
    {
        var runs = new List<(PortMapping First, PortMapping Last)>();
        foreach (var port in ports)
        {
            if (runs.Count > 0 && runs[^1].Last is var last && last.HostIp == port.HostIp && last.Protocol == port.Protocol
                && port.ContainerPort == last.ContainerPort + 1 && (port.HostPort == 0 ? last.HostPort == 0 : port.HostPort == last.HostPort + 1 && last.HostPort != 0))
                runs[^1] = (runs[^1].First, port);
            else
                runs.Add((port, port));
        }
        return string.Join(", ", runs.Select(r => r.First == r.Last ? r.First.ToString()
            : r.First.HostPort == 0 ? $"{r.First.ContainerPort}-{r.Last.ContainerPort}/{r.First.Protocol}"
            : $"{r.First.HostSide}-{r.Last.HostPort}->{r.First.ContainerPort}-{r.Last.ContainerPort}/{r.First.Protocol}"));
    }
}
