using System.Globalization;
using System.Text;

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

/// <summary>Which part of a log: the last Tail entries, those since a moment.</summary>
public sealed record LogQuery(int? Tail = null, DateTimeOffset? Since = null)
{
    /// <summary>
    /// A moment as -Since takes it: a date (DateTimeOffset, DateTime, or text that reads as
    /// one), or a span back from now: a TimeSpan, docker's "10m", "1h30m", "00:10:00", or a
    /// number of seconds. PowerShell reads 30s typed bare as the number 30 (a short), so a
    /// number is seconds, as the text "30" is.
    /// </summary>
    public static DateTimeOffset ParseSince(object value, DateTimeOffset now) => value switch
    {
        DateTimeOffset moment => moment,
        DateTime date => new DateTimeOffset(date.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(date, DateTimeKind.Local) : date),
        TimeSpan span => now - span,
        string text => ParseSince(text, now),
        sbyte or byte or short or ushort or int or uint or long or ulong or float or double or decimal =>
            Convert.ToDouble(value, CultureInfo.InvariantCulture) is var seconds && seconds >= 0 && seconds <= TimeSpan.MaxValue.TotalSeconds
                ? now - TimeSpan.FromSeconds(seconds)
                : throw InvalidSince(value),
        _ => throw InvalidSince(value),
    };

    /// <summary>A moment as docker logs --since takes it: a date, or a span back from now ("10m", "1h30m", "00:10:00", seconds).</summary>
    public static DateTimeOffset ParseSince(string text, DateTimeOffset now)
    {
        if (!text.Contains('-') && Text.HumanDuration.TryParse(text, out var span))
            return now - span;
        if (DateTimeOffset.TryParse(text, CultureInfo.CurrentCulture, DateTimeStyles.AssumeLocal, out var moment))
            return moment;
        throw InvalidSince(text);
    }

    private static Errors.ContainerException InvalidSince(object value) =>
        Errors.Errors.InvalidArgument("InvalidSince", $"'{value}' is neither a date nor a span of time (10m, 1h30m, 00:10:00, seconds).", value);
}

/// <summary>
/// Reads the log the monitor writes (CRI format: "&lt;time&gt; &lt;stream&gt; &lt;F|P&gt; &lt;text&gt;",
/// P for the parts of a line too long for one record), the rotated file first; and follows
/// it as it grows, across rotations.
/// </summary>
public static class ContainerLog
{
    public static IEnumerable<LogEntry> Read(string path, LogQuery? query = null)
    {
        using var reader = new LogReader(path, fromStart: true);
        return Filter(reader.ReadAvailable(), query).ToList();
    }

    /// <summary>
    /// The entries the query selects, then every new one as it comes, until stillWriting says
    /// the container has ended (and what it wrote last is read) or cancellation. Between reads
    /// that find nothing new it waits with waitForChange, which returns early when the log
    /// grows or the container's state changes, and in any case soon enough for a cancellation.
    /// </summary>
    public static IEnumerable<LogEntry> Follow(string path, LogQuery? query, Func<bool> stillWriting, Action<TimeSpan> waitForChange, CancellationToken cancellation)
    {
        using var reader = new LogReader(path, fromStart: true);
        foreach (var entry in Filter(reader.ReadAvailable(), query))
            yield return entry;
        while (!cancellation.IsCancellationRequested)
        {
            var writing = stillWriting();
            var any = false;
            foreach (var entry in reader.ReadAvailable())
            {
                any = true;
                if (query?.Since is not { } since || entry.Time >= since)
                    yield return entry;
            }
            if (!writing)
                yield break;
            if (!any)
                waitForChange(TimeSpan.FromMilliseconds(100));
        }
    }

    private static IEnumerable<LogEntry> Filter(IEnumerable<LogEntry> entries, LogQuery? query)
    {
        if (query?.Since is { } since)
            entries = entries.Where(e => e.Time >= since);
        if (query?.Tail is { } tail)
            entries = entries.TakeLast(Math.Max(tail, 0));
        return entries;
    }

    /// <summary>Reads whole records as they are appended, following the file when the monitor rotates it.</summary>
    private sealed class LogReader(string path, bool fromStart) : IDisposable
    {
        private readonly Dictionary<LogStream, (DateTimeOffset Time, StringBuilder Text)> pending = [];
        private readonly StringBuilder partialLine = new();
        private FileStream? current;
        private ulong currentInode;
        private bool readRotated = !fromStart;

        public IEnumerable<LogEntry> ReadAvailable()
        {
            if (!readRotated)
            {
                readRotated = true;
                if (File.Exists(path + ".1"))
                    using (var rotated = Open(path + ".1"))
                        foreach (var entry in Parse(rotated!))
                            yield return entry;
            }
            current ??= Open(path);
            if (current == null)
                yield break;
            currentInode = currentInode == 0 ? Linux.FileStatus.Inode(path) : currentInode;
            foreach (var entry in Parse(current))
                yield return entry;
            // rotated meanwhile: what the old file got last is read above; go on with the new one
            if (Linux.FileStatus.Inode(path) is var inode && inode != 0 && inode != currentInode)
            {
                current.Dispose();
                current = Open(path);
                currentInode = inode;
                if (current != null)
                    foreach (var entry in Parse(current))
                        yield return entry;
            }
        }

        private static FileStream? Open(string file)
        {
            try
            {
                // the monitor may be appending: share the file
                return new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
            }
            catch (FileNotFoundException)
            {
                return null;
            }
        }

        private IEnumerable<LogEntry> Parse(FileStream stream)
        {
            var buffer = new byte[1 << 16];
            int n;
            while ((n = stream.Read(buffer)) > 0)
            {
                partialLine.Append(Encoding.UTF8.GetString(buffer, 0, n));
                var text = partialLine.ToString();
                var end = text.LastIndexOf('\n');
                if (end < 0)
                    continue;
                partialLine.Clear().Append(text[(end + 1)..]);
                foreach (var line in text[..end].Split('\n'))
                    if (Combine(line) is { } entry)
                        yield return entry;
            }
        }

        private LogEntry? Combine(string line)
        {
            if (!TryParse(line, out var time, out var stream, out var partial, out var text))
                return null;
            if (partial)
            {
                if (!pending.TryGetValue(stream, out var part))
                    pending[stream] = part = (time, new StringBuilder());
                part.Text.Append(text);
                return null;
            }
            return pending.Remove(stream, out var start)
                ? new LogEntry(start.Time, stream, start.Text.Append(text).ToString())
                : new LogEntry(time, stream, text);
        }

        public void Dispose() => current?.Dispose();
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
