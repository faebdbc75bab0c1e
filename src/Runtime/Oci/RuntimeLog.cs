using System.Text.Json;

namespace Container.Runtime.Oci;

/// <summary>What an OCI runtime writes to its --log file with --log-format json (ours, runc and crun alike): one object a line, with "level" and "msg".</summary>
internal static class RuntimeLog
{
    /// <summary>The message of the last error in the log, or null when it holds none (or is not there).</summary>
    public static string? LastError(string path)
    {
        if (!File.Exists(path))
            return null;
        string? last = null;
        foreach (var line in File.ReadLines(path))
            if (Parse(line) is ("error" or "fatal", var message))
                last = message;
        return last;
    }

    /// <summary>The message alone of a line that is a JSON log entry; any other line as it is.</summary>
    public static string Message(string line) => Parse(line)?.Message ?? line;

    private static (string Level, string Message)? Parse(string line)
    {
        if (!line.StartsWith('{'))
            return null;
        try
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            if (!root.TryGetProperty("msg", out var msg) || msg.GetString() is not { } message)
                return null;
            return (root.TryGetProperty("level", out var level) ? level.GetString() ?? "" : "", message);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
