using System.Net;
using System.Text;

namespace Container.Runtime.Networks;

/// <summary>
/// A container's /etc/hosts, /etc/hostname and /etc/resolv.conf, as docker writes them. They are
/// kept in the container's directory and bind-mounted over the image's.
/// </summary>
internal static class EtcFiles
{
    public const string HostsFile = "hosts";
    public const string HostnameFile = "hostname";
    public const string ResolvConfFile = "resolv.conf";

    /// <summary>The files and where each is mounted in the container.</summary>
    public static readonly IReadOnlyList<(string File, string Destination)> Mounts =
        [(HostsFile, "/etc/hosts"), (HostnameFile, "/etc/hostname"), (ResolvConfFile, "/etc/resolv.conf")];

    /// <summary>The name servers docker falls back to when the host has none a container can reach.</summary>
    public static readonly IReadOnlyList<string> FallbackServers = ["8.8.8.8", "8.8.4.4"];

    public static readonly IReadOnlyList<string> FallbackServers6 = ["2001:4860:4860::8888", "2001:4860:4860::8844"];

    /// <summary>Where systemd-resolved keeps its upstream servers, when the host's resolv.conf names its stub (127.0.0.53).</summary>
    public const string SystemdResolvConf = "/run/systemd/resolve/resolv.conf";

    /// <summary>
    /// docker's /etc/hosts: the localhost lines, the -AddHost entries, then the container's own
    /// name at each of its addresses (as name.domain name with a domain name).
    /// </summary>
    public static string Hosts(string hostname, string? domainname, IEnumerable<string> addresses, IEnumerable<(string Name, string Address)> extra)
    {
        var text = new StringBuilder();
        text.Append("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n");
        foreach (var (name, address) in extra)
            text.Append($"{address}\t{name}\n");
        foreach (var address in addresses)
            text.Append(HostsLine(hostname, domainname, address));
        return text.ToString();
    }

    /// <summary>The container's own name at one of its addresses, a line of its hosts file.</summary>
    public static string HostsLine(string hostname, string? domainname, string address) =>
        $"{address}\t{(string.IsNullOrEmpty(domainname) ? hostname : $"{hostname}.{domainname} {hostname}")}\n";

    /// <summary>docker network connect: the hosts file as it is (a user's edits kept), the lines after it.</summary>
    public static string WithLines(string hosts, IEnumerable<string> lines) =>
        (hosts.Length > 0 && !hosts.EndsWith('\n') ? hosts + "\n" : hosts) + string.Concat(lines);

    /// <summary>docker network disconnect: the hosts file without those lines, the rest as it is.</summary>
    public static string WithoutLines(string hosts, IEnumerable<string> lines)
    {
        var doomed = lines.Select(l => l.TrimEnd('\n')).ToHashSet(StringComparer.Ordinal);
        return string.Join('\n', hosts.Split('\n').Where(l => !doomed.Contains(l)));
    }

    /// <summary>
    /// docker network connect to a network with DNS, as podman does it: its resolvers named before
    /// the name servers there are, podman's search domain first; the rest as it is.
    /// </summary>
    public static string WithResolvers(string resolvConf, IReadOnlyList<string> resolvers)
    {
        var lines = WithoutResolvers(resolvConf, resolvers).Split('\n').Where(l => l.Length > 0).ToList();
        var first = lines.FindIndex(l => l.StartsWith("nameserver", StringComparison.Ordinal));
        lines.InsertRange(first < 0 ? lines.Count : first, resolvers.Select(r => $"nameserver {r}"));
        var search = lines.FindIndex(l => l.StartsWith("search", StringComparison.Ordinal));
        if (search < 0)
            lines.Insert(0, $"search {NetworkResolver.SearchDomain}");
        else if (!lines[search].Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(NetworkResolver.SearchDomain))
            lines[search] = $"search {NetworkResolver.SearchDomain}{lines[search]["search".Length..]}";
        return string.Concat(lines.Select(l => l + "\n"));
    }

    /// <summary>docker network disconnect: without that network's resolvers, the rest as it is.</summary>
    public static string WithoutResolvers(string resolvConf, IReadOnlyList<string> resolvers)
    {
        var doomed = resolvers.Select(r => $"nameserver {r}").ToHashSet(StringComparer.Ordinal);
        return string.Join('\n', resolvConf.Split('\n').Where(l => !doomed.Contains(l.Trim())));
    }

    /// <summary>The host's /etc/hosts (host network mode), the -AddHost entries after it.</summary>
    public static string HostsOfHost(string hostHosts, IEnumerable<(string Name, string Address)> extra)
    {
        var text = new StringBuilder(hostHosts);
        if (text.Length > 0 && text[^1] != '\n')
            text.Append('\n');
        foreach (var (name, address) in extra)
            text.Append($"{address}\t{name}\n");
        return text.ToString();
    }

    /// <summary>
    /// docker's /etc/resolv.conf: the host's (systemd-resolved's upstream file in place of its
    /// stub), without the loopback servers a container cannot reach (kept on the host's network),
    /// docker's fallback when none is left; -Dns, -DnsSearch, -DnsOption replace what they name.
    /// On networks with DNS (resolvers: their gateways), podman's instead: the networks'
    /// resolvers are the name servers (the others are theirs to forward to, <see cref="Servers"/>),
    /// and its search domain comes first.
    /// </summary>
    public static string ResolvConf(string hostResolvConf, string? systemdResolvConf, bool hostNetwork, bool ipv6,
        IReadOnlyList<string>? dns, IReadOnlyList<string>? search, IReadOnlyList<string>? options, IReadOnlyList<string>? resolvers = null)
    {
        var source = Source(hostResolvConf, systemdResolvConf, hostNetwork);
        var servers = resolvers is { Count: > 0 } ? resolvers : ServersOf(source.Servers, hostNetwork, ipv6, dns);
        var searches = search is { Count: > 0 } ? search.Where(s => s != ".").ToList() : source.Search;
        if (resolvers is { Count: > 0 })
            searches = [NetworkResolver.SearchDomain, .. searches.Where(s => s != NetworkResolver.SearchDomain)];
        var optionList = options is { Count: > 0 } ? [.. options] : source.Options;
        var text = new StringBuilder();
        if (searches.Count > 0)
            text.Append($"search {string.Join(' ', searches)}\n");
        foreach (var server in servers)
            text.Append($"nameserver {server}\n");
        if (optionList.Count > 0)
            text.Append($"options {string.Join(' ', optionList)}\n");
        return text.ToString();
    }

    /// <summary>The name servers a container off the host's network is given (-Dns, else the host's it can reach, else docker's fallback).</summary>
    public static IReadOnlyList<string> Servers(string hostResolvConf, string? systemdResolvConf, bool ipv6, IReadOnlyList<string>? dns) =>
        ServersOf(Source(hostResolvConf, systemdResolvConf, hostNetwork: false).Servers, hostNetwork: false, ipv6, dns);

    private static (List<string> Servers, List<string> Search, List<string> Options) Source(string hostResolvConf, string? systemdResolvConf, bool hostNetwork)
    {
        var source = Parse(hostResolvConf);
        if (!hostNetwork && systemdResolvConf != null && source.Servers.Count > 0 && source.Servers.All(IsLoopback))
            source = Parse(systemdResolvConf);
        return source;
    }

    private static IReadOnlyList<string> ServersOf(List<string> hostServers, bool hostNetwork, bool ipv6, IReadOnlyList<string>? dns)
    {
        if (dns is { Count: > 0 })
            return dns;
        if (hostNetwork)
            return hostServers;
        var servers = hostServers.Where(s => !IsLoopback(s) && (ipv6 || !s.Contains(':'))).ToList();
        return servers.Count > 0 ? servers : [.. FallbackServers, .. ipv6 ? FallbackServers6 : []];
    }

    private static bool IsLoopback(string server) => IPAddress.TryParse(server, out var address) && IPAddress.IsLoopback(address);

    private static (List<string> Servers, List<string> Search, List<string> Options) Parse(string text)
    {
        var (servers, search, options) = (new List<string>(), new List<string>(), new List<string>());
        foreach (var line in text.Split('\n'))
        {
            var words = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length < 2 || words[0].StartsWith('#') || words[0].StartsWith(';'))
                continue;
            switch (words[0])
            {
                case "nameserver":
                    servers.Add(words[1]);
                    break;
                case "search" or "domain":
                    // the last of search and domain wins, as the resolver reads them
                    search = [.. words[1..]];
                    break;
                case "options":
                    options.AddRange(words[1..]);
                    break;
            }
        }
        return (servers, search, options);
    }
}
