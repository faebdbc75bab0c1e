using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Container.Runtime.Linux;

namespace Container.Runtime.Networks;

/// <summary>
/// The kernel's answers for <see cref="IPortFacts"/>: the host's side read and probed on a thread
/// in the host's network namespace (/proc/thread-self/net, not /proc/net, which is the process's),
/// the container's side from its init's /proc/pid/net, the ruleset from container-network.
/// The host's state and the ruleset are read once, when first asked for.
/// </summary>
internal sealed class KernelPortFacts(string? hostNamespace, int containerPid, Func<string> readRuleset) : IPortFacts
{
    /// <summary>How long a probe waits for the answer to its SYN.</summary>
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    private readonly Lazy<HostState> host = new(() => NetworkNamespace.Run(hostNamespace, HostState.Read));
    private readonly Lazy<string> ruleset = new(readRuleset);

    public IReadOnlyList<(string Interface, IPAddress Address)> HostAddresses => host.Value.Addresses;

    public IReadOnlyList<Route> HostRoutes => host.Value.Routes;

    public bool HostForwards => host.Value.Forwards;

    public string Ruleset => ruleset.Value;

    public IReadOnlyList<ListeningSocket> ContainerSockets =>
        [.. from protocol in new[] { "tcp", "udp" }
            from table in new[] { protocol, protocol + "6" }
            from socket in ProcNet.Listening(ReadOrEmpty($"/proc/{containerPid}/net/{table}"), protocol)
            select socket];

    public IReadOnlyList<Route> ContainerRoutes => [.. ProcNet.Routes(ReadOrEmpty($"/proc/{containerPid}/net/route"))];

    public ProbeOutcome Connect(IPAddress address, int port, IPAddress? source) => NetworkNamespace.Run(hostNamespace, () =>
    {
        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (source != null)
            socket.Bind(new IPEndPoint(source, 0));
        try
        {
            if (!socket.ConnectAsync(new IPEndPoint(address, port)).Wait(ProbeTimeout))
                return ProbeOutcome.NoAnswer;
        }
        catch (AggregateException e) when (e.InnerException is SocketException s)
        {
            return s.SocketErrorCode == SocketError.ConnectionRefused ? ProbeOutcome.Refused : ProbeOutcome.NoAnswer;
        }
        // the other end in the host's own table: a socket of the host took it, no DNAT did
        var table = ReadOrEmpty(address.AddressFamily == AddressFamily.InterNetwork ? "/proc/thread-self/net/tcp" : "/proc/thread-self/net/tcp6");
        return HostHoldsOtherEnd(table, socket) ? ProbeOutcome.HostSocket : ProbeOutcome.Answered;
    });

    private static bool HostHoldsOtherEnd(string table, Socket socket) =>
        ProcNet.HasConnection(table, (IPEndPoint)socket.RemoteEndPoint!, (IPEndPoint)socket.LocalEndPoint!);

    private static string ReadOrEmpty(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    private sealed record HostState(IReadOnlyList<(string Interface, IPAddress Address)> Addresses, IReadOnlyList<Route> Routes, bool Forwards)
    {
        public static HostState Read() => new(
            [.. from nic in NetworkInterface.GetAllNetworkInterfaces()
                from unicast in nic.GetIPProperties().UnicastAddresses
                select (nic.Name, unicast.Address)],
            [.. ProcNet.Routes(ReadOrEmpty("/proc/thread-self/net/route"))],
            ReadOrEmpty("/proc/sys/net/ipv4/ip_forward").Trim() == "1");
    }
}
