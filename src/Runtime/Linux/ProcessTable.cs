namespace Container.Runtime.Linux;

/// <summary>
/// The host's processes, from /proc, by pid and start time: a pid alone can be reused, a pid
/// with the start time of the process we meant cannot.
/// </summary>
public sealed class ProcessTable : IProcessTable
{
    private static readonly Lazy<string> Boot = new(() => File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim());

    private ProcessTable()
    {
    }

    public static ProcessTable Host { get; } = new();

    public string BootId => Boot.Value;

    /// <summary>Field 22 of /proc/pid/stat (clock ticks since boot), or null if there is no such live process.</summary>
    public ulong? StartTime(int pid)
    {
        if (pid <= 0 || StatFields(pid) is not { } fields)
            return null;
        if (fields[0] is "Z" or "X")
            return null; // exited, not yet reaped
        return ulong.TryParse(fields[19], out var start) ? start : null;
    }

    /// <summary>/proc/pid/stat from its third field (the state) on, or null when there is no such process.</summary>
    private static string[]? StatFields(int pid) =>
        // the command name may hold spaces and ')': fields start again after the last ')'
        CounterFiles.ReadText($"/proc/{pid}/stat") is { } stat ? stat[(stat.LastIndexOf(')') + 2)..].Split(' ') : null;

    public bool IsAlive(int pid, ulong startTime) => StartTime(pid) is { } now && (startTime == 0 || now == startTime);

    public bool Exists(int pid) => pid > 0 && Directory.Exists($"/proc/{pid}");

    /// <summary>
    /// The pids and all their descendants, each once. A zombie has left its cgroup's
    /// cgroup.procs but is still its parent's child until reaped: this finds it.
    /// </summary>
    public IReadOnlyCollection<int> WithDescendants(IEnumerable<int> pids)
    {
        var seen = new HashSet<int>();
        var pending = new Queue<int>(pids);
        while (pending.TryDequeue(out var pid))
        {
            if (!seen.Add(pid))
                continue;
            foreach (var child in Children(pid))
                pending.Enqueue(child);
        }
        return seen;
    }

    /// <summary>The children of every thread of the process (/proc/pid/task/tid/children).</summary>
    private static IEnumerable<int> Children(int pid)
    {
        string[] tasks;
        try
        {
            tasks = Directory.GetDirectories($"/proc/{pid}/task");
        }
        catch (Exception e) when (e is DirectoryNotFoundException or IOException or UnauthorizedAccessException)
        {
            yield break; // gone meanwhile
        }
        foreach (var task in tasks)
            if (SmallFile.ReadText(Path.Combine(task, "children")) is { } children)
                foreach (var child in children.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    if (int.TryParse(child, out var childPid))
                        yield return childPid;
    }

    private static readonly Lazy<long> BootTime = new(() =>
        long.Parse(File.ReadLines("/proc/stat").First(l => l.StartsWith("btime ", StringComparison.Ordinal))[6..]));

    private const int ClockTicks = 100; // USER_HZ, fixed at 100 for /proc on Linux
    private static readonly long PageSize = Environment.SystemPageSize;

    /// <summary>What /proc says of a process in a container, or null when it is gone.</summary>
    public Containers.ContainerProcess? Describe(int pid, string containerName)
    {
        try
        {
            if (SmallFile.ReadText($"/proc/{pid}/status") is not { } statusText || StatFields(pid) is not { } fields
                || SmallFile.ReadText($"/proc/{pid}/cmdline") is not { } cmdlineText)
                return null;
            var status = statusText.Split('\n').Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
                .ToDictionary(p => p[0], p => p[1].Trim());
            var cmdline = cmdlineText.TrimEnd('\0').Replace('\0', ' ');
            var nsPids = status.GetValueOrDefault("NSpid", pid.ToString()).Split('\t', ' ', StringSplitOptions.RemoveEmptyEntries);
            return new Containers.ContainerProcess
            {
                ContainerName = containerName,
                Pid = pid,
                ContainerPid = int.Parse(nsPids[^1]),
                ParentPid = int.Parse(status.GetValueOrDefault("PPid", "0")),
                UserId = uint.Parse(status.GetValueOrDefault("Uid", "0").Split('\t', ' ')[0]),
                State = status.GetValueOrDefault("State", "?"),
                Command = cmdline.Length > 0 ? cmdline : $"[{status.GetValueOrDefault("Name", "?")}]",
                CpuTime = TimeSpan.FromSeconds((double)(long.Parse(fields[11]) + long.Parse(fields[12])) / ClockTicks),
                StartTime = DateTimeOffset.FromUnixTimeSeconds(BootTime.Value).AddSeconds((double)ulong.Parse(fields[19]) / ClockTicks),
                MemoryRss = long.Parse(fields[21]) * PageSize,
            };
        }
        catch (Exception e) when (e is Errors.ContainerException or FormatException)
        {
            return null; // unreadable, or cut short as it went
        }
    }

    public (long Received, long Sent) NetworkCounters(int pid)
    {
        long received = 0, sent = 0;
        // null: the process ended meanwhile
        foreach (var line in (CounterFiles.ReadText($"/proc/{pid}/net/dev") ?? "").Split('\n').Skip(2))
        {
            var colon = line.IndexOf(':');
            if (colon < 0 || line[..colon].Trim() == "lo")
                continue;
            var fields = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            received += long.Parse(fields[0]);
            sent += long.Parse(fields[8]);
        }
        return (received, sent);
    }
}
