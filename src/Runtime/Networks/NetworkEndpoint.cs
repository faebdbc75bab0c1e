namespace Container.Runtime.Networks;

/// <summary>A container's place on one network, kept in its record: what its lease gave and what its setup names.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(Containers.NetworkEndpointConverter))]
public sealed class NetworkEndpoint
{
    public string Network { get; set; } = "";
    public string NetworkId { get; set; } = "";
    /// <summary>Inside the container: eth0, eth1...</summary>
    public string Interface { get; set; } = "eth0";
    /// <summary>The host's end of its veth pair: veth and 8 hex digits of a hash of the container's and the network's ids.</summary>
    public string HostInterface { get; set; } = "";
    public string Address { get; set; } = "";
    public string? Address6 { get; set; }
    /// <summary>Asked for with -IPAddress: kept as it is, never chosen again.</summary>
    public bool StaticAddress { get; set; }
    public List<string> Aliases { get; set; } = [];

    /// <summary>The host's veth name for a container on a network: at most 15 characters (IFNAMSIZ).</summary>
    public static string HostInterfaceOf(string containerId, string networkId) =>
        "veth" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes($"{containerId}/{networkId}")))[..8].ToLowerInvariant();
}
