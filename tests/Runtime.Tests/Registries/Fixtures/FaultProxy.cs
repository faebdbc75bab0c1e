using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Container.Tests.Registries;

/// <summary>A request the proxy saw, and what it did with it (Status is the answer's, injected or the registry's).</summary>
public sealed class SeenRequest(string method, string target, IReadOnlyDictionary<string, string> headers)
{
    public string Method { get; } = method;

    /// <summary>The request's path and query, as sent.</summary>
    public string Target { get; } = target;

    public string Path => Target.Split('?')[0];

    public IReadOnlyDictionary<string, string> Headers { get; } = headers;

    public int Status { get; internal set; }

    /// <summary>What the proxy did: "forwarded", or the fault (its kind) it injected.</summary>
    public string Fault { get; internal set; } = "forwarded";

    public override string ToString() => $"{Method} {Target} -> {Status} ({Fault})";
}

/// <summary>
/// An HTTP/1.1 proxy on 127.0.0.1 (a port of its own) in front of a plain-HTTP
/// <see cref="LocalRegistry"/>, that a test programs with faults for the requests that match a
/// method and a path pattern: an answer of its own (503, 429 with Retry-After), a 413 for a
/// body over a size, a connection closed before any answer, a response cut (or stalled) after
/// some bytes of its body, or a Range header the registry does not get (so it sends all). Everything else is forwarded as it streams, the registry's Location headers
/// pointed back at the proxy, and every request is recorded for the test's asserts.
/// </summary>
public sealed class FaultProxy : IDisposable
{
    private const string Injected = "injected by the test's fault proxy";

    private readonly LocalRegistry registry;
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly List<Fault> faults = [];
    private readonly ConcurrentQueue<SeenRequest> seen = new();
    private readonly ConcurrentDictionary<Socket, bool> open = new();
    private readonly Thread accepting;
    private readonly ManualResetEventSlim stopping = new();
    private volatile bool stopped;

    public FaultProxy(LocalRegistry registry)
    {
        if (registry.BaseAddress.Scheme != "http")
            throw new ArgumentException("the fault proxy speaks plain HTTP to a plain-HTTP registry", nameof(registry));
        this.registry = registry;
        listener.Start();
        Host = $"127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
        accepting = new Thread(Accept) { IsBackground = true, Name = "fault-proxy" };
        accepting.Start();
    }

    /// <summary>host:port to reach the registry through the proxy.</summary>
    public string Host { get; }

    /// <summary>Every request seen, in order.</summary>
    public IReadOnlyList<SeenRequest> Seen => seen.ToList();

    /// <summary>The requests seen of method (any, for null) whose path matches pattern.</summary>
    public List<SeenRequest> SeenMatching(string? method, string pattern) =>
        Seen.Where(r => (method == null || r.Method == method) && Regex.IsMatch(r.Path, pattern)).ToList();

    /// <summary>The next times requests that match are answered status by the proxy, with these headers.</summary>
    public void Answer(string method, string pattern, int status, int times = 1, params (string Name, string Value)[] headers) =>
        Add(new Fault(method, pattern, times, $"answered {status}") { Status = status, Headers = headers });

    /// <summary>Every request that matches with a body over bytes is answered 413 (its body read first, as a proxy would).</summary>
    public void RefuseBodiesOver(string method, string pattern, long bytes) =>
        Add(new Fault(method, pattern, int.MaxValue, "413") { Status = 413, BodiesOver = bytes });

    /// <summary>The next times requests that match are forwarded, and their answer's connection closed after afterBytes of its body.</summary>
    public void Cut(string method, string pattern, long afterBytes, int times = 1) =>
        Add(new Fault(method, pattern, times, $"cut after {afterBytes}") { CutAfter = afterBytes });

    /// <summary>The next time a request matches, its answer stops after afterBytes of its body, the connection held open, until the proxy is disposed.</summary>
    public void Stall(string method, string pattern, long afterBytes) =>
        Add(new Fault(method, pattern, 1, $"stalled after {afterBytes}") { CutAfter = afterBytes, Stalls = true });

    /// <summary>Set once a stalled answer has sent what it sends.</summary>
    public ManualResetEventSlim Stalled { get; } = new();

    /// <summary>The next times requests that match go to the registry without their Range header: a server that serves no ranges.</summary>
    public void IgnoreRange(string method, string pattern, int times = 1) =>
        Add(new Fault(method, pattern, times, "range ignored") { IgnoresRange = true });

    /// <summary>The next times requests that match see their connection closed before any answer.</summary>
    public void Drop(string method, string pattern, int times = 1) => Add(new Fault(method, pattern, times, "dropped"));

    private void Add(Fault fault)
    {
        lock (faults)
            faults.Add(fault);
    }

    /// <summary>The first fault that takes this request (and counts it), or null: forward it.</summary>
    private Fault? Take(string method, string path, long? bodyLength, bool ranged)
    {
        lock (faults)
        {
            var fault = faults.FirstOrDefault(f => f.Left > 0 && f.Method == method && f.Path.IsMatch(path)
                                                   && (f.BodiesOver is not { } limit || bodyLength > limit)
                                                   && (!f.IgnoresRange || ranged));
            if (fault != null)
                fault.Left--;
            return fault;
        }
    }

    private void Accept()
    {
        while (!stopped)
        {
            Socket client;
            try
            {
                client = listener.AcceptSocket();
            }
            catch (SocketException)
            {
                return; // stopped
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            open[client] = true;
            new Thread(() => Serve(client)) { IsBackground = true, Name = "fault-proxy-connection" }.Start();
        }
    }

    /// <summary>One client connection, request after request, until it closes or a fault closes it.</summary>
    private void Serve(Socket client)
    {
        try
        {
            using var stream = new NetworkStream(client, ownsSocket: false);
            var wire = new HttpWire(stream);
            while (true)
            {
                var head = wire.ReadHead();
                if (head == null)
                {
                    // not HTTP (a TLS hello): answered as the registry answers it, which is no TLS
                    stream.Write(Encoding.ASCII.GetBytes("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"));
                    return;
                }
                if (!Handle(head, wire))
                    return;
            }
        }
        catch (IOException)
        {
            // the client went away
        }
        catch (SocketException)
        {
        }
        finally
        {
            open.TryRemove(client, out _);
            Close(client);
        }
    }

    /// <summary>One request: a fault, or forwarded; false when its connection is to be closed.</summary>
    private bool Handle(HttpHead head, HttpWire client)
    {
        var parts = head.FirstLine.Split(' ');
        var (method, target) = (parts[0], parts[1]);
        var request = new SeenRequest(method, target,
            head.Headers.GroupBy(h => h.Key, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First().Value, StringComparer.OrdinalIgnoreCase));
        seen.Enqueue(request);
        var fault = Take(method, request.Path, head.ContentLength, head["Range"] != null);
        if (fault != null)
            request.Fault = fault.Kind;
        if (fault is { CutAfter: null, Status: null, IgnoresRange: false })
            return false; // dropped: no answer at all
        if (fault is { IgnoresRange: true })
            head.Remove("Range");
        if (fault is { Status: { } status })
        {
            client.RelayBody(head, null);
            // and the connection closed, as a proxy that cannot serve does: the next request comes on a new one
            var answer = new HttpHead($"HTTP/1.1 {status} {ReasonPhrase(status)}",
                [new("Content-Type", "text/plain"), new("Content-Length", Injected.Length.ToString()), new("Connection", "close")]);
            foreach (var (name, value) in fault.Headers)
                answer.Set(name, value);
            client.Stream.Write(answer.ToBytes());
            client.Stream.Write(Encoding.ASCII.GetBytes(Injected));
            request.Status = status;
            return false;
        }
        return Forward(head, request, client, fault?.CutAfter, fault?.Stalls == true);
    }

    /// <summary>
    /// The request to the registry on a connection of its own (closed after the answer, so its
    /// body ends there), and its answer back as it streams, cut after cutAfter body bytes if given.
    /// </summary>
    private bool Forward(HttpHead head, SeenRequest request, HttpWire client, long? cutAfter, bool stall)
    {
        using var upstream = new TcpClient();
        upstream.Connect(IPAddress.Loopback, registry.BaseAddress.Port);
        using var upstreamStream = upstream.GetStream();
        head.Set("Host", registry.Host);
        head.Remove("Keep-Alive");
        head.Remove("Proxy-Connection");
        head.Set("Connection", "close");
        upstreamStream.Write(head.ToBytes());
        client.RelayBody(head, upstreamStream);

        var registryWire = new HttpWire(upstreamStream);
        var answer = registryWire.ReadHead() ?? throw new IOException("the registry closed without an answer");
        request.Status = int.Parse(answer.FirstLine.Split(' ')[1]);
        if (answer["Location"] is { } location)
            answer.Set("Location", location.Replace(registry.Host, Host, StringComparison.OrdinalIgnoreCase));
        answer.Remove("Connection");
        // a body the registry ends by closing ends the client's connection too
        var framed = answer.ContentLength != null || answer.IsChunked || request.Method == "HEAD" || request.Status is 204 or 304;
        if (!framed)
            answer.Set("Connection", "close");
        client.Stream.Write(answer.ToBytes());
        if (cutAfter is { } cut)
        {
            registryWire.Relay(client.Stream, cut);
            if (stall)
            {
                Stalled.Set();
                stopping.Wait();
            }
            return false;
        }
        // the registry closes after its answer: all until then is the body, in its framing
        registryWire.Relay(client.Stream, long.MaxValue);
        return framed;
    }

    private static string? ReasonPhrase(int status)
    {
        using var response = new HttpResponseMessage((HttpStatusCode)status);
        return response.ReasonPhrase;
    }

    private static void Close(Socket socket)
    {
        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        socket.Dispose();
    }

    public void Dispose()
    {
        stopped = true;
        stopping.Set();
        listener.Stop();
        accepting.Join();
        foreach (var socket in open.Keys)
            Close(socket);
    }

    private sealed class Fault(string method, string pattern, int times, string kind)
    {
        public string Method { get; } = method;
        public Regex Path { get; } = new(pattern);
        public string Kind { get; } = kind;
        public int Left { get; set; } = times;
        public int? Status { get; init; }
        public (string Name, string Value)[] Headers { get; init; } = [];
        public long? BodiesOver { get; init; }
        public long? CutAfter { get; init; }
        public bool Stalls { get; init; }
        public bool IgnoresRange { get; init; }
    }
}
