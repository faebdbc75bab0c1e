using System.Text;

namespace Container.Tests.Registries;

/// <summary>The head of an HTTP/1.1 message: its first line and its headers, in order, as they came.</summary>
internal sealed class HttpHead(string firstLine, List<KeyValuePair<string, string>> headers)
{
    public string FirstLine { get; set; } = firstLine;

    public List<KeyValuePair<string, string>> Headers { get; } = headers;

    public string? this[string name] => Headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    public long? ContentLength => long.TryParse(this["Content-Length"], out var length) ? length : null;

    public bool IsChunked => this["Transfer-Encoding"]?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true;

    public void Set(string name, string value)
    {
        Remove(name);
        Headers.Add(new(name, value));
    }

    public void Remove(string name) => Headers.RemoveAll(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase));

    public byte[] ToBytes()
    {
        var text = new StringBuilder(FirstLine).Append("\r\n");
        foreach (var (name, value) in Headers)
            text.Append(name).Append(": ").Append(value).Append("\r\n");
        return Encoding.Latin1.GetBytes(text.Append("\r\n").ToString());
    }
}

/// <summary>
/// One side of an HTTP/1.1 connection, read through a buffer: heads line by line, bodies as
/// bytes, relayed to another stream as they come (Content-Length or chunked framing kept).
/// </summary>
internal sealed class HttpWire(Stream stream)
{
    private readonly byte[] buffer = new byte[1 << 16];
    private int start;
    private int end;

    public Stream Stream => stream;

    /// <summary>The next message's head; null at the end of the stream (or a line that is no HTTP), before any line.</summary>
    public HttpHead? ReadHead()
    {
        // a method's first letter, or not HTTP (a TLS hello has no line to wait for)
        if ((start == end && !Fill()) || buffer[start] is < (byte)'A' or > (byte)'Z')
            return null;
        var first = ReadLine();
        if (string.IsNullOrEmpty(first) || !first.Contains(' ') || first.Any(c => c < ' ' || c > '~'))
            return null;
        var headers = new List<KeyValuePair<string, string>>();
        for (var line = ReadLine(); !string.IsNullOrEmpty(line); line = ReadLine())
        {
            var colon = line.IndexOf(':');
            if (colon > 0)
                headers.Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim()));
        }
        return new HttpHead(first, headers);
    }

    /// <summary>The body a head frames (Content-Length or chunked) relayed to target, or read past when target is null; its length.</summary>
    public long RelayBody(HttpHead head, Stream? target)
    {
        if (head.IsChunked)
            return RelayChunked(target);
        return head.ContentLength is { } length ? Relay(target, length) : 0;
    }

    /// <summary>Up to count bytes relayed (all until the end of the stream with long.MaxValue); how many there were.</summary>
    public long Relay(Stream? target, long count)
    {
        long done = 0;
        while (done < count)
        {
            if (start == end && !Fill())
                break;
            var n = (int)Math.Min(end - start, count - done);
            target?.Write(buffer, start, n);
            start += n;
            done += n;
        }
        target?.Flush();
        return done;
    }

    private long RelayChunked(Stream? target)
    {
        long total = 0;
        while (true)
        {
            var sizeLine = ReadLine() ?? throw new IOException("a chunked body ended early");
            WriteLine(target, sizeLine);
            var size = Convert.ToInt64(sizeLine.Split(';')[0].Trim(), 16);
            if (size == 0)
            {
                // trailers, then the empty line
                for (var line = ReadLine(); ; line = ReadLine())
                {
                    WriteLine(target, line ?? "");
                    if (string.IsNullOrEmpty(line))
                        break;
                }
                target?.Flush();
                return total;
            }
            total += Relay(target, size);
            WriteLine(target, ReadLine() ?? "");
        }
    }

    private static void WriteLine(Stream? target, string line) => target?.Write(Encoding.Latin1.GetBytes(line + "\r\n"));

    private string? ReadLine()
    {
        var line = new StringBuilder();
        while (true)
        {
            if (start == end && !Fill())
                return line.Length > 0 ? line.ToString() : null;
            var b = buffer[start++];
            if (b == '\n')
                return line.ToString().TrimEnd('\r');
            line.Append((char)b);
            if (line.Length > 16 << 10)
                return null; // no HTTP head has such a line: whatever this is, it is not served
        }
    }

    private bool Fill()
    {
        start = 0;
        end = stream.Read(buffer, 0, buffer.Length);
        return end > 0;
    }
}
