using System.Text.Json.Serialization;

namespace Container.Runtime.Networks;

/// <summary>
/// A network of ours (docker network inspect): a Linux bridge with a subnet its members' addresses
/// are leased from. Kept as <c>network.json</c> in the network's directory; changes only by
/// creation (and, for the default bridge, a new address while no container uses it).
/// </summary>
public sealed class ContainerNetwork
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string Driver { get; set; } = "bridge";
    /// <summary>The host's bridge interface: container0 for the default network, ctr-&lt;first 8 of the id&gt; for others.</summary>
    public string Bridge { get; set; } = "";
    /// <summary>CIDR form: 10.88.0.0/16.</summary>
    public string Subnet { get; set; } = "";
    /// <summary>The bridge's address.</summary>
    public string Gateway { get; set; } = "";
    /// <summary>Where members' addresses come from, within the subnet; null is the whole subnet.</summary>
    public string? IPRange { get; set; }
    /// <summary>No route out and no masquerade.</summary>
    public bool Internal { get; set; }
    public Dictionary<string, string> Labels { get; set; } = [];
    public int Mtu { get; set; } = DefaultMtu;
    public string? Subnet6 { get; set; }
    public string? Gateway6 { get; set; }
    /// <summary>
    /// Its members resolve each other by name, alias and short id (podman's dns_enabled): on for
    /// a network made by New-ContainerNetwork unless -DisableDns, off for the default network,
    /// as docker's and podman's default has no name resolution (and for records older than it).
    /// </summary>
    public bool DnsEnabled { get; set; }
    public DateTimeOffset Created { get; set; }

    /// <summary>The names of the containers that hold an address on it (filled when it is read, not stored).</summary>
    [JsonIgnore]
    public IReadOnlyList<string> Containers { get; set; } = [];

    [JsonIgnore]
    public string ShortId => Ids.Short(Id);

    public const int DefaultMtu = 1500;

    /// <summary>The default network's name, as docker's.</summary>
    public const string DefaultName = "bridge";

    public const string DefaultBridge = "container0";

    /// <summary>The bridges of user-defined networks: ctr- and the first 8 of the id.</summary>
    public const string BridgePrefix = "ctr-";

    /// <summary>podman's: 10.88.0.0/16 with gateway 10.88.0.1.</summary>
    public const string DefaultBridgeAddress = "10.88.0.1/16";

    public override string ToString() => Name;
}

/// <summary>Every address leased on a network, by container id: <c>leases.json</c> beside its record.</summary>
internal sealed class NetworkLeases
{
    public Dictionary<string, NetworkLease> Leases { get; set; } = [];
}

/// <summary>A container's addresses on one network.</summary>
internal sealed class NetworkLease
{
    public string Container { get; set; } = "";
    public string Address { get; set; } = "";
    public string? Address6 { get; set; }
}
