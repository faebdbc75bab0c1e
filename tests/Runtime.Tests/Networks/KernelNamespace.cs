using System.Net;
using System.Net.Sockets;
using Container.Runtime.Linux;
using Container.Runtime.Processes;

namespace Container.Tests.Networks;

/// <summary>
/// A network namespace a test makes (ip netns add) to play the host, or a remote host wired to
/// it by a veth pair; removed with everything in it on dispose. Sockets are opened inside it on
/// a thread of their own that has entered it, and stay there, whichever thread uses them later.
/// </summary>
internal sealed class KernelNamespace : IDisposable
{
    private KernelNamespace(string path, string? name)
    {
        Path = path;
        Name = name;
    }

    /// <summary>Its name under /run/netns; null for one the test did not make (a container's).</summary>
    public string? Name { get; }

    public string Path { get; }

    public static KernelNamespace Create()
    {
        var name = "ctest-" + Guid.NewGuid().ToString("N")[..10];
        var ns = new KernelNamespace($"/run/netns/{name}", name);
        RunIp("netns", "add", name);
        ns.Ip("link", "set", "lo", "up");
        return ns;
    }

    /// <summary>A veth pair from this namespace (hostAddress, with prefix) to the other (remoteAddress); returns this end's name.</summary>
    public string Connect(KernelNamespace remote, string hostAddress, string remoteAddress)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        RunIp("link", "add", "h" + suffix, "netns", NameOrThrow, "type", "veth", "peer", "name", "r" + suffix, "netns", remote.NameOrThrow);
        Ip("addr", "add", hostAddress, "dev", "h" + suffix);
        Ip("link", "set", "h" + suffix, "up");
        remote.Ip("addr", "add", remoteAddress, "dev", "r" + suffix);
        remote.Ip("link", "set", "r" + suffix, "up");
        return "h" + suffix;
    }

    /// <summary>The other end of a link Connect made: its name in the remote namespace.</summary>
    public static string PeerOf(string link) => "r" + link[1..];

    /// <summary>Runs ip with -n this namespace (a test's own setup, never the driver's work).</summary>
    public string Ip(params string[] arguments) => RunIp(["-n", NameOrThrow, .. arguments]);

    private string NameOrThrow => Name ?? throw new InvalidOperationException($"{Path} is not a namespace the test made");

    /// <summary>Runs a command inside (nsenter --net): nft, for one.</summary>
    public ProcessResult Exec(params string[] command) => ProcessRunner.Run("nsenter", ["--net=" + Path, .. command]);

    /// <summary>A namespace made by someone else (a container's), to open sockets in; not removed on dispose.</summary>
    public static KernelNamespace Of(string path) => new(path, null);

    /// <summary>The action on a thread inside; what it throws comes as an InvalidOperationException that names the namespace.</summary>
    public T Inside<T>(Func<T> action)
    {
        try
        {
            return NetworkNamespace.Run(Path, action);
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"in {Name}: {e.Message}", e);
        }
    }

    /// <summary>A socket inside, bound to the address and port: a TCP listener, or a UDP receiver.</summary>
    public Socket Listen(IPAddress address, int port, ProtocolType protocol = ProtocolType.Tcp) => Inside(() =>
    {
        var socket = protocol == ProtocolType.Tcp
            ? new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
            : new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(address, port));
        if (protocol == ProtocolType.Tcp)
            socket.Listen();
        return socket;
    });

    /// <summary>What a host process's bind of the tcp port inside meets: Success when it is free (the socket is closed again).</summary>
    public SocketError TryBind(IPAddress address, int port) => Inside(() =>
    {
        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(address, port));
            socket.Listen();
            return SocketError.Success;
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode;
        }
    });

    /// <summary>Connects from inside and reads what the other end says until it closes (an HTTP GET, for busybox httpd).</summary>
    public string HttpGet(string address, int port) => Inside(() =>
    {
        var ip = IPAddress.Parse(address);
        using var socket = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 10000, SendTimeout = 10000 };
        var connect = socket.BeginConnect(ip, port, null, null);
        if (!connect.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(10)))
            throw new TimeoutException($"connect to {address}:{port}");
        socket.EndConnect(connect);
        socket.Send("GET /index.html HTTP/1.0\r\n\r\n"u8);
        var received = new MemoryStream();
        var buffer = new byte[4096];
        int n;
        while ((n = socket.Receive(buffer)) > 0)
            received.Write(buffer, 0, n);
        return System.Text.Encoding.UTF8.GetString(received.ToArray());
    });

    /// <summary>Whether connecting from inside to address:port fails (refused, or nothing answers within the timeout).</summary>
    public bool CannotConnect(string address, int port, TimeSpan timeout) => Inside(() =>
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            var connect = socket.BeginConnect(IPAddress.Parse(address), port, null, null);
            if (!connect.AsyncWaitHandle.WaitOne(timeout))
                return true;
            socket.EndConnect(connect);
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    });

    public void Dispose()
    {
        if (Name != null)
            ProcessRunner.Run("ip", ["netns", "del", Name]);
    }

    private static string RunIp(params string[] arguments)
    {
        var result = ProcessRunner.Run("ip", arguments);
        if (!result.Succeeded)
            throw new InvalidOperationException($"ip {string.Join(' ', arguments)}: {result.ErrorText}");
        return result.StandardOutput;
    }
}
