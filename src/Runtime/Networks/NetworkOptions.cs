using Container.Runtime.Containers;

namespace Container.Runtime.Networks;

/// <summary>
/// The network options of a new container checked as text, before anything is looked up or
/// made: the mode's form, every -Publish, addresses, host entries, names. What needs the
/// store (does the network exist, is the address free) is ContainerNetworking's.
/// </summary>
internal static class NetworkOptions
{
    public const string None = "none";
    public const string Host = "host";
    public const string ContainerPrefix = "container:";

    public static void Validate(ContainerSpec spec)
    {
        if (spec.Network is { } mode && !IsValidMode(mode))
            throw Errors.Errors.InvalidNetworkMode(mode);
        PortPublishing.Parse(spec.Publish ?? [], publishAll: false, exposed: null);
        if (spec.IPAddress != null)
            Subnet.ParseAddress(spec.IPAddress, "IP address");
        foreach (var server in spec.Dns ?? [])
            Subnet.ParseAddress(server, "DNS server");
        foreach (var entry in spec.AddHost ?? [])
            ParseHostEntry(entry);
        ValidateAliases(spec.Alias);
        if (spec.Domainname is { } domain && (domain.Length == 0 || domain.Length > 255 || domain.Any(char.IsWhiteSpace)))
            throw Errors.Errors.InvalidArgument("InvalidDomainname", $"'{domain}' is not a valid domain name.", domain);
    }

    /// <summary>-Alias: each a name as a container's (DNS answers it on the network).</summary>
    public static void ValidateAliases(IEnumerable<string>? aliases)
    {
        foreach (var alias in aliases ?? [])
            if (!ContainerNames.IsValid(alias))
                throw Errors.Errors.InvalidArgument("InvalidAlias", $"'{alias}' is not a valid network alias: use letters, digits, '_', '.' and '-'.", alias);
    }

    /// <summary>A mode that names a network (bridge or one of the user's), whose container has a namespace of its own to attach networks to.</summary>
    public static bool IsNetworkName(string mode) => mode is not (None or Host) && !mode.StartsWith(ContainerPrefix, StringComparison.Ordinal);

    public static bool IsValidMode(string mode) =>
        mode is None or Host || (mode.StartsWith(ContainerPrefix, StringComparison.Ordinal) ? mode.Length > ContainerPrefix.Length : ContainerNames.IsValid(mode));

    /// <summary>name:address (an IPv6 address after the first ':'), as docker's --add-host; name=address too.</summary>
    public static (string Name, string Address) ParseHostEntry(string entry)
    {
        var separator = entry.IndexOfAny([':', '=']);
        if (separator <= 0 || separator == entry.Length - 1)
            throw Errors.Errors.InvalidHostEntry(entry);
        var name = entry[..separator];
        var address = entry[(separator + 1)..].Trim('[', ']');
        if (name.Any(char.IsWhiteSpace) || Subnet.TryParseAddress(address) is not { } parsed)
            throw Errors.Errors.InvalidHostEntry(entry);
        return (name, parsed.ToString());
    }
}
