namespace Container.Runtime.Linux;

/// <summary>
/// Processes by pid and start time: a pid alone can be reused, a pid with the start
/// time of the process we meant cannot.
/// </summary>
public static class ProcessTable
{
    /// <summary>Field 22 of /proc/pid/stat (clock ticks since boot), or null if there is no such live process.</summary>
    public static ulong? StartTime(int pid)
    {
        if (pid <= 0)
            return null;
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
        // the command name may hold spaces and ')': fields start again after the last ')'
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        if (fields[0] is "Z" or "X")
            return null; // exited, not yet reaped
        return ulong.TryParse(fields[19], out var start) ? start : null;
    }

    public static bool IsAlive(int pid, ulong startTime) => StartTime(pid) is { } now && (startTime == 0 || now == startTime);

    public static bool Exists(int pid) => pid > 0 && Directory.Exists($"/proc/{pid}");
}
