using System.Globalization;

namespace Container.Runtime.Logs;

public enum LogStream
{
    Stdout,
    Stderr,
}

/// <summary>One line a container wrote.</summary>
public sealed record LogEntry(DateTimeOffset Time, LogStream Stream, string Text)
{
    public override string ToString() => Text;
}

/// <summary>
/// Reads the log the monitor writes (CRI format: "&lt;time&gt; &lt;stream&gt; &lt;F|P&gt; &lt;text&gt;",
/// P for the parts of a line too long for one record), the rotated file first.
/// </summary>
public static class ContainerLog
{
    public static IEnumerable<LogEntry> Read(string path)
    {
        var pending = new Dictionary<LogStream, (DateTimeOffset Time, System.Text.StringBuilder Text)>();
        foreach (var file in new[] { path + ".1", path })
        {
            if (!File.Exists(file))
                continue;
            foreach (var line in ReadLines(file))
            {
                if (!TryParse(line, out var time, out var stream, out var partial, out var text))
                    continue;
                if (partial)
                {
                    if (!pending.TryGetValue(stream, out var part))
                        pending[stream] = part = (time, new System.Text.StringBuilder());
                    part.Text.Append(text);
                    continue;
                }
                if (pending.Remove(stream, out var start))
                    yield return new LogEntry(start.Time, stream, start.Text.Append(text).ToString());
                else
                    yield return new LogEntry(time, stream, text);
            }
        }
    }

    private static IEnumerable<string> ReadLines(string file)
    {
        // the monitor may be appending: share the file
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
            yield return line;
    }

    /// <summary>The monitor writes nanoseconds; .NET keeps 100 ns ticks: drop the last two digits rather than round.</summary>
    private static string ToTicksPrecision(string stamp)
    {
        var dot = stamp.IndexOf('.');
        var end = stamp.IndexOfAny(['Z', '+', '-'], dot + 1);
        if (dot < 0 || end < 0 || end - dot - 1 <= 7)
            return stamp;
        return stamp[..(dot + 8)] + stamp[end..];
    }

    internal static bool TryParse(string line, out DateTimeOffset time, out LogStream stream, out bool partial, out string text)
    {
        time = default;
        stream = LogStream.Stdout;
        partial = false;
        text = "";
        var parts = line.Split(' ', 4);
        if (parts.Length < 3 || !DateTimeOffset.TryParse(ToTicksPrecision(parts[0]), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time))
            return false;
        stream = parts[1] == "stderr" ? LogStream.Stderr : LogStream.Stdout;
        partial = parts[2] == "P";
        text = parts.Length == 4 ? parts[3] : "";
        return true;
    }
}
