using System.Globalization;

namespace Container.Runtime.Compose.Loading;

/// <summary>
/// ports: in the short form docker reads ("80", "8080:80", "127.0.0.1:8080:80/udp",
/// "[::1]:8080:80", "127.0.0.1::80", ranges "8000-8001:80-81", a host range onto one port
/// "8000-8010:80") and the long form (target, published, host_ip, protocol, mode, name,
/// app_protocol). Ranges on both sides become one port each, as compose does.
/// </summary>
internal static class PortSyntax
{
    public static IEnumerable<ServicePort> Read(Field field)
    {
        if (field.Node is YamlMapping)
        {
            Keys.Check(field, Keys.Port);
            var target = field["target"] ?? throw field.Invalid("a port needs its target");
            var protocol = field["protocol"]?.Text.ToLowerInvariant() ?? "tcp";
            CheckProtocol(field, protocol);
            var published = field["published"]?.Text;
            if (published != null && !IsPortOrRange(published, out _, out _))
                throw field.Invalid($"invalid published port '{published}'");
            var mode = field["mode"]?.Text;
            if (mode is not (null or "host" or "ingress"))
                throw field.Invalid($"invalid port mode '{mode}': host or ingress");
            return [new ServicePort(Port(target, target.Text), published, field["host_ip"]?.Text, protocol, mode, field["name"]?.Text, field["app_protocol"]?.Text)];
        }
        return Short(field, field.Text);
    }

    private static List<ServicePort> Short(Field field, string text)
    {
        var spec = text;
        var protocol = "tcp";
        var slash = spec.LastIndexOf('/');
        if (slash >= 0)
        {
            protocol = spec[(slash + 1)..].ToLowerInvariant();
            spec = spec[..slash];
            CheckProtocol(field, protocol);
        }
        string? ip = null;
        if (spec.StartsWith('['))
        {
            var close = spec.IndexOf(']');
            if (close < 0 || close + 1 >= spec.Length || spec[close + 1] != ':')
                throw field.Invalid($"invalid port '{text}'");
            ip = spec[1..close];
            spec = spec[(close + 2)..];
        }
        var parts = spec.Split(':');
        string container, host = "";
        if (ip != null)
            (host, container) = parts.Length == 2 ? (parts[0], parts[1]) : parts.Length == 1 ? ("", parts[0]) : throw field.Invalid($"invalid port '{text}'");
        else if (parts.Length == 1)
            container = parts[0];
        else if (parts.Length == 2)
            (host, container) = (parts[0], parts[1]);
        else
            (ip, host, container) = (string.Join(':', parts[..^2]), parts[^2], parts[^1]);
        if (!IsPortOrRange(container, out var first, out var last))
            throw field.Invalid($"invalid port '{text}'");
        var hostIp = string.IsNullOrEmpty(ip) ? null : ip;
        if (host.Length == 0)
            return Enumerable.Range(first, last - first + 1).Select(p => new ServicePort(p, null, hostIp, protocol, null, null, null)).ToList();
        if (!IsPortOrRange(host, out var hostFirst, out var hostLast))
            throw field.Invalid($"invalid port '{text}'");
        if (first == last)
            return [new ServicePort(first, host, hostIp, protocol, null, null, null)];
        if (hostLast - hostFirst != last - first)
            throw field.Invalid($"invalid port '{text}': the host and container ranges differ in length");
        return Enumerable.Range(0, last - first + 1)
            .Select(i => new ServicePort(first + i, (hostFirst + i).ToString(CultureInfo.InvariantCulture), hostIp, protocol, null, null, null)).ToList();
    }

    /// <summary>expose: a port, a range, with a protocol or not ("80", "8000-8010", "53/udp").</summary>
    public static string Expose(Field field)
    {
        var text = field.Text;
        var slash = text.LastIndexOf('/');
        if (slash >= 0)
            CheckProtocol(field, text[(slash + 1)..].ToLowerInvariant());
        if (!IsPortOrRange(slash >= 0 ? text[..slash] : text, out _, out _))
            throw field.Invalid($"invalid port '{text}'");
        return text;
    }

    private static int Port(Field field, string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
            ? port : throw field.Invalid($"invalid port '{text}'");

    private static bool IsPortOrRange(string text, out int first, out int last)
    {
        var dash = text.IndexOf('-');
        first = last = 0;
        return dash < 0
            ? IsPort(text, out first) && (last = first) > 0
            : IsPort(text[..dash], out first) && IsPort(text[(dash + 1)..], out last) && last >= first;
    }

    private static bool IsPort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 0 and <= 65535;

    private static void CheckProtocol(Field field, string protocol)
    {
        if (protocol is not ("tcp" or "udp" or "sctp"))
            throw field.Invalid($"invalid protocol '{protocol}': tcp, udp or sctp");
    }
}
