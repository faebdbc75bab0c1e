using System.Net;
using System.Net.Sockets;

namespace Container.Runtime.Networks;

/// <summary>
/// Host ports for the mappings that leave them to us (-Publish 80): each a port the kernel has
/// free at this moment, on the mapping's address and protocol, in the namespace this process
/// works in. The monitor holds them from the setup on, so whoever asks for one later is told.
/// </summary>
internal static class PortChooser
{
    public static List<PortMapping> Choose(IEnumerable<PortMapping> ports)
    {
        var held = new List<Socket>();
        try
        {
            return ports.Select(port => port.HostPort != 0 ? port : port with { HostPort = Hold(port, held) }).ToList();
        }
        finally
        {
            foreach (var socket in held)
                socket.Dispose();
        }
    }

    /// <summary>A free port on the mapping's address and protocol, its socket kept open in held until every port is chosen, so no two get the same.</summary>
    private static int Hold(PortMapping port, List<Socket> held)
    {
        var address = port.HostIp.Length == 0 ? IPAddress.Any : IPAddress.Parse(port.HostIp);
        var socket = port.Protocol == "udp"
            ? new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp)
            : new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        held.Add(socket);
        try
        {
            socket.Bind(new IPEndPoint(address, 0));
        }
        catch (SocketException e)
        {
            throw Errors.Errors.PortUnavailable($"{port.ContainerSide} on {(port.HostIp.Length == 0 ? "every address" : port.HostIp)}", e.Message);
        }
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
