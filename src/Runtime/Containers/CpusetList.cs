using System.Globalization;

namespace Container.Runtime.Containers;

/// <summary>A cpuset list ("0-2,4") whose members the host has online.</summary>
internal static class CpusetList
{
    /// <summary>What to give instead of list, or null when the host has its members online.</summary>
    public static string? Check(string list, string onlineFile, string what)
    {
        if (Parse(list) is not { } wanted)
            return "a list like 0-2,4";
        // a host without NUMA has no node directory: node 0 alone
        var online = File.Exists(onlineFile) ? Parse(File.ReadAllText(onlineFile).Trim()) ?? [] : [0];
        return wanted.Except(online).Any() ? $"within the host's online {what} ({string.Join(',', online)})" : null;
    }

    private static HashSet<int>? Parse(string list)
    {
        var members = new HashSet<int>();
        foreach (var part in list.Split(','))
        {
            var range = part.Split('-');
            if (range.Length > 2 || !int.TryParse(range[0], NumberStyles.None, CultureInfo.InvariantCulture, out var first))
                return null;
            var last = first;
            if (range.Length == 2 && (!int.TryParse(range[1], NumberStyles.None, CultureInfo.InvariantCulture, out last) || last < first || last - first > 4096))
                return null;
            for (var member = first; member <= last; member++)
                members.Add(member);
        }
        return members;
    }
}
