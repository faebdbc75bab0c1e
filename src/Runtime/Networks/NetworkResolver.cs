using Container.Runtime.Storage;

namespace Container.Runtime.Networks;

/// <summary>
/// The resolver of networks with DNS: aardvark-dns, podman's, run as netavark runs it. One
/// process serves every such network of a run root, on each network's gateway, from a config
/// directory that container-network keeps (a file per network, an entry per member) and signals.
/// </summary>
internal static class NetworkResolver
{
    /// <summary>podman's search domain: aardvark answers a member's name with or without it.</summary>
    public const string SearchDomain = "dns.podman";

    /// <summary>Where Debian and Fedora install it with podman.</summary>
    private static readonly string[] Locations = ["/usr/lib/podman/aardvark-dns", "/usr/libexec/podman/aardvark-dns"];

    /// <summary>The binary, or null where it is not installed: then networks have no name resolution (netavark's behaviour).</summary>
    public static string? Find() => Array.Find(Locations, File.Exists);

    /// <summary>Its config directory: under the run root, so that a reboot leaves no entry behind.</summary>
    public static string DirectoryOf(StorePaths paths) => Path.Combine(paths.RunRoot, "aardvark-dns");

    /// <summary>The addresses the network's resolver answers on (its gateways), null when the network has none.</summary>
    public static IReadOnlyList<string>? AddressesOf(ContainerNetwork? network) =>
        network is { DnsEnabled: true } && Find() != null
            ? [network.Gateway, .. network.Gateway6 is { } gateway6 ? [gateway6] : Array.Empty<string>()]
            : null;
}
