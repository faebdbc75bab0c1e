using System.Globalization;
using System.Net;

namespace Container.Runtime.Networks;

/// <summary>A socket bound inside a network namespace: tcp listening, or udp bound.</summary>
internal sealed record ListeningSocket(string Protocol, IPAddress Address, int Port);

/// <summary>A route of a namespace's main IPv4 table: where addresses of Destination/Prefix go out.</summary>
internal sealed record Route(string Interface, IPAddress Destination, int Prefix);

/// <summary>
/// The kernel's /proc/net tables as text in (tcp, tcp6, udp, udp6, route), what Test-ContainerPort
/// asks of them out. Addresses there are hex in the host's byte order of each 32-bit word.
/// </summary>
internal static class ProcNet
{
    private const string TcpListen = "0A";
    private const string UdpUnconnected = "07";
    private const string TcpEstablished = "01";

    /// <summary>The listening (tcp) or bound, unconnected (udp) sockets of a tcp/tcp6/udp/udp6 table.</summary>
    public static IEnumerable<ListeningSocket> Listening(string table, string protocol)
    {
        var state = protocol == "tcp" ? TcpListen : UdpUnconnected;
        foreach (var fields in Rows(table))
            if (fields.Length > 3 && fields[3] == state && Endpoint(fields[1]) is { } local)
                yield return new ListeningSocket(protocol, local.Address, local.Port);
    }

    /// <summary>Whether a tcp table has an established socket from local to remote: the host's own end of a connection.</summary>
    public static bool HasConnection(string table, IPEndPoint local, IPEndPoint remote) =>
        Rows(table).Any(f => f.Length > 3 && f[3] == TcpEstablished && local.Equals(Endpoint(f[1])) && remote.Equals(Endpoint(f[2])));

    /// <summary>The routes of /proc/net/route.</summary>
    public static IEnumerable<Route> Routes(string table)
    {
        foreach (var fields in Rows(table))
            if (fields.Length > 7 && uint.TryParse(fields[1], NumberStyles.HexNumber, null, out var destination)
                && uint.TryParse(fields[7], NumberStyles.HexNumber, null, out var mask))
                yield return new Route(fields[0], new IPAddress(destination), System.Numerics.BitOperations.PopCount(mask));
    }

    /// <summary>The interface the longest matching route sends the address out of; null when no route matches.</summary>
    public static string? RouteInterface(IEnumerable<Route> routes, IPAddress address) =>
        routes.Where(r => Subnet.Parse($"{r.Destination}/{r.Prefix}", "route").Contains(address)).MaxBy(r => r.Prefix)?.Interface;

    /// <summary>Whether the table has a default route.</summary>
    public static bool HasDefaultRoute(IEnumerable<Route> routes) => routes.Any(r => r.Prefix == 0);

    /// <summary>Each row's fields, the header left out.</summary>
    private static IEnumerable<string[]> Rows(string table) =>
        table.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries));

    /// <summary>0100007F:1F90 is 127.0.0.1:8080; an IPv6 one is four such words.</summary>
    private static IPEndPoint? Endpoint(string text)
    {
        var colon = text.IndexOf(':');
        if (colon < 0 || !int.TryParse(text[(colon + 1)..], NumberStyles.HexNumber, null, out var port))
            return null;
        var hex = text[..colon];
        if (hex.Length is not (8 or 32))
            return null;
        var bytes = new byte[hex.Length / 2];
        for (var word = 0; word < hex.Length / 8; word++)
        {
            if (!uint.TryParse(hex.AsSpan(word * 8, 8), NumberStyles.HexNumber, null, out var value))
                return null;
            BitConverter.TryWriteBytes(bytes.AsSpan(word * 4, 4), value);
        }
        var address = new IPAddress(bytes);
        return new IPEndPoint(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address, port);
    }
}
