namespace Container.Runtime.Networks;

/// <summary>What New-ContainerNetwork asks for; what is left null is chosen (a free 10.89.N.0/24, its first address as gateway).</summary>
public sealed record NetworkSpec
{
    public required string Name { get; init; }

    public string? Subnet { get; init; }

    public string? Gateway { get; init; }

    /// <summary>A part of the subnet, in CIDR form, that members' addresses come from.</summary>
    public string? IPRange { get; init; }

    public bool Internal { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    public int? Mtu { get; init; }

    /// <summary>An IPv6 subnet besides: dual stack.</summary>
    public string? Subnet6 { get; init; }

    public string? Gateway6 { get; init; }

    /// <summary>No name resolution between its members (podman's --disable-dns).</summary>
    public bool DisableDns { get; init; }
}
