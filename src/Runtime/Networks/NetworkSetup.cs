namespace Container.Runtime.Networks;

/// <summary>Everything the driver needs to set up, and later tear down, one container's network.</summary>
/// <param name="ContainerId">Tags what is made for the container (firewall rules, host veths), so teardown finds it.</param>
/// <param name="NamespacePath">Where the container's network namespace is bind-mounted, under the run root.</param>
internal sealed record NetworkSetup(
    string ContainerId,
    string NamespacePath,
    IReadOnlyList<NetworkAttachment> Attachments,
    IReadOnlyList<PortMapping> Ports);

/// <summary>The container on one bridge network: a veth pair and the addresses its lease gave.</summary>
/// <param name="Network">The network's name.</param>
/// <param name="Bridge">The host's bridge interface of the network.</param>
/// <param name="Interface">The interface inside the container (eth0, eth1, ...).</param>
/// <param name="HostInterface">The host's end of the veth pair.</param>
/// <param name="Subnet">The network's subnet, in CIDR form (10.88.0.0/16).</param>
/// <param name="Address">The container's address with the subnet's prefix (10.88.0.5/16).</param>
/// <param name="Gateway">The bridge's address, the container's default route (none on an internal network).</param>
/// <param name="Internal">No route out and no masquerade.</param>
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
    string? Gateway6 = null);

/// <summary>A published port: the host's address and port forwarded to the container's port.</summary>
/// <param name="HostIp">The host address it is published on; empty for every address.</param>
/// <param name="Protocol">tcp or udp.</param>
internal sealed record PortMapping(string HostIp, int HostPort, int ContainerPort, string Protocol)
{
    /// <summary>As docker ps shows it: 0.0.0.0:8080-&gt;80/tcp.</summary>
    public override string ToString() =>
        $"{(HostIp.Length == 0 ? "0.0.0.0" : HostIp)}:{HostPort}->{ContainerPort}/{Protocol}";
}
