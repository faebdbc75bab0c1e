namespace Container.Runtime.Networks;

/// <summary>
/// -Publish as docker reads it: [ip:][hostPort:]containerPort[/protocol], where either port may be
/// a range (8000-8010:80-90, as long as each other) and a host port left out (80, ip::80) is a free
/// one chosen at start (a HostPort of 0 until then). -PublishAll: every port the image exposes.
/// </summary>
internal static class PortPublishing
{
    public static List<PortMapping> Parse(IEnumerable<string> publish, bool publishAll, IEnumerable<string>? exposed)
    {
        var ports = publish.SelectMany(Parse).ToList();
        if (publishAll)
            foreach (var port in exposed ?? [])
                foreach (var (number, protocol) in ParseExposed(port))
                    if (!ports.Any(p => p.ContainerPort == number && p.Protocol == protocol))
                        ports.Add(new PortMapping("", 0, number, protocol));
        RefuseTwice(ports);
        return ports;
    }

    public static IEnumerable<PortMapping> Parse(string text)
    {
        var spec = text.Trim();
        var protocol = "tcp";
        var slash = spec.LastIndexOf('/');
        if (slash >= 0)
        {
            protocol = spec[(slash + 1)..].ToLowerInvariant();
            if (protocol is not ("tcp" or "udp"))
                throw Errors.Errors.InvalidPublish(text, $"'{spec[(slash + 1)..]}' is not tcp or udp");
            spec = spec[..slash];
        }
        var hostIp = "";
        // [v6]:host:container, or v4:host:container
        if (spec.StartsWith('['))
        {
            var close = spec.IndexOf("]:", StringComparison.Ordinal);
            if (close < 0)
                throw Errors.Errors.InvalidPublish(text, "a bracketed IPv6 address must be followed by ':'");
            hostIp = HostAddress(spec[1..close], text);
            spec = spec[(close + 2)..];
            if (!spec.Contains(':'))
                throw Errors.Errors.InvalidPublish(text, "an address needs a host port (or '::' for any) and a container port");
        }
        var parts = spec.Split(':');
        string hostPorts, containerPorts;
        switch (parts.Length)
        {
            case 1:
                (hostPorts, containerPorts) = ("", parts[0]);
                break;
            case 2:
                (hostPorts, containerPorts) = (parts[0], parts[1]);
                if (hostPorts.Length == 0 && hostIp.Length == 0)
                    throw Errors.Errors.InvalidPublish(text, "the host port is empty");
                break;
            case 3 when hostIp.Length == 0:
                hostIp = HostAddress(parts[0], text);
                (hostPorts, containerPorts) = (parts[1], parts[2]);
                break;
            default:
                throw Errors.Errors.InvalidPublish(text, "too many ':' (an IPv6 address goes in brackets: [::1]:8080:80)");
        }
        var (containerFirst, containerLast) = Range(containerPorts, text, "container port");
        if (hostPorts.Length == 0)
            return Enumerable.Range(containerFirst, containerLast - containerFirst + 1).Select(p => new PortMapping(hostIp, 0, p, protocol)).ToList();
        var (hostFirst, hostLast) = Range(hostPorts, text, "host port");
        if (hostLast - hostFirst != containerLast - containerFirst)
            throw Errors.Errors.InvalidPublish(text, "the host and container port ranges are not as long as each other");
        return Enumerable.Range(0, containerLast - containerFirst + 1).Select(i => new PortMapping(hostIp, hostFirst + i, containerFirst + i, protocol)).ToList();
    }

    /// <summary>An image's ExposedPorts key: 80/tcp, 53/udp, 80 (tcp), or a range.</summary>
    private static IEnumerable<(int Port, string Protocol)> ParseExposed(string key)
    {
        var slash = key.IndexOf('/');
        var protocol = slash < 0 ? "tcp" : key[(slash + 1)..].ToLowerInvariant();
        if (protocol is not ("tcp" or "udp"))
            return []; // sctp and the like: not published
        var (first, last) = Range(slash < 0 ? key : key[..slash], key, "exposed port");
        return Enumerable.Range(first, last - first + 1).Select(p => (p, protocol));
    }

    /// <summary>The same host port and protocol twice, on one address or on every address and one of them.</summary>
    private static void RefuseTwice(List<PortMapping> ports)
    {
        var fixedPorts = ports.Where(p => p.HostPort != 0).ToList();
        for (var i = 0; i < fixedPorts.Count; i++)
            for (var j = 0; j < i; j++)
            {
                var (a, b) = (fixedPorts[i], fixedPorts[j]);
                if (a.HostPort == b.HostPort && a.Protocol == b.Protocol && (a.HostIp == b.HostIp || a.HostIp.Length == 0 || b.HostIp.Length == 0))
                    throw Errors.Errors.PortPublishedTwice($"{a.HostPort}/{a.Protocol}");
            }
    }

    private static string HostAddress(string text, string publish) =>
        text.Length == 0 ? "" : Subnet.TryParseAddress(text)?.ToString() ?? throw Errors.Errors.InvalidPublish(publish, $"'{text}' is not an IP address");

    private static (int First, int Last) Range(string text, string publish, string what)
    {
        var dash = text.IndexOf('-');
        var first = Port(dash < 0 ? text : text[..dash], publish, what);
        var last = dash < 0 ? first : Port(text[(dash + 1)..], publish, what);
        if (last < first)
            throw Errors.Errors.InvalidPublish(publish, $"the {what} range {text} ends before it starts");
        return (first, last);
    }

    private static int Port(string text, string publish, string what) =>
        int.TryParse(text, System.Globalization.NumberStyles.None, null, out var port) && port is > 0 and <= 65535
            ? port
            : throw Errors.Errors.InvalidPublish(publish, $"'{text}' is not a {what} (1 to 65535)");
}
