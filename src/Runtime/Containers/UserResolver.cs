namespace Container.Runtime.Containers;

/// <summary>The ids a container's user stands for, and its home (from its passwd entry; "/" without one, as docker gives HOME).</summary>
public sealed record ResolvedUser(uint Uid, uint Gid, IReadOnlyList<uint> AdditionalGids, string Home = "/");

/// <summary>
/// "name", "uid", "name:group", "uid:gid" against the image's own /etc/passwd and /etc/group
/// (from the topmost layer that has them), as docker resolves --user.
/// </summary>
public static class UserResolver
{
    /// <summary>
    /// The highest id a process may take, as runc allows: above it lies (uid_t)-1, which
    /// setresuid reads as "unchanged", so a runtime that passes it on leaves the process root.
    /// </summary>
    public const uint MaxId = int.MaxValue;

    public static ResolvedUser Resolve(string? user, IReadOnlyList<string> layersTopFirst)
    {
        if (string.IsNullOrEmpty(user))
            user = "0";
        var parts = user.Split(':', 2);
        var passwd = Read(layersTopFirst, "etc/passwd");
        var groups = Read(layersTopFirst, "etc/group");

        uint uid;
        string[]? entry;
        if (IsNumeric(parts[0]))
        {
            uid = Id(parts[0], "uid", user);
            entry = passwd.FirstOrDefault(p => p.Length > 3 && p[2] == parts[0]);
        }
        else
        {
            entry = passwd.FirstOrDefault(p => p.Length > 3 && p[0] == parts[0])
                    ?? throw Errors.Errors.InvalidArgument("UnknownUser", $"No user '{parts[0]}' in the image's /etc/passwd.", user);
            uid = Id(entry[2], $"uid of '{entry[0]}' in the image's /etc/passwd", user);
        }
        var userName = entry?[0];
        uint gid;
        if (parts.Length == 2)
        {
            if (IsNumeric(parts[1]))
                gid = Id(parts[1], "gid", user);
            else
            {
                var group = groups.FirstOrDefault(g => g.Length > 2 && g[0] == parts[1])
                            ?? throw Errors.Errors.InvalidArgument("UnknownGroup", $"No group '{parts[1]}' in the image's /etc/group.", user);
                gid = Id(group[2], $"gid of group '{group[0]}' in the image's /etc/group", user);
            }
        }
        else
            gid = entry != null ? Id(entry[3], $"gid of '{entry[0]}' in the image's /etc/passwd", user) : 0;
        // the primary group, then the groups that list the user by name, as docker gives them
        // each once, in that order (a loop: LINQ's Distinct over uint is generic code that no ReadyToRun image holds)
        var additional = new List<uint> { gid };
        if (userName != null)
            foreach (var group in groups)
                if (group.Length > 3 && group[3].Split(',').Contains(userName) && IsNumeric(group[2])
                    && Id(group[2], $"gid of group '{group[0]}' in the image's /etc/group", user) is var id && !additional.Contains(id))
                    additional.Add(id);
        return new ResolvedUser(uid, gid, additional, entry != null ? HomeOf(entry) : "/");
    }

    private static string HomeOf(string[] passwdEntry) => passwdEntry.Length > 5 && passwdEntry[5].Length > 0 ? passwdEntry[5] : "/";

    private static bool IsNumeric(string text) => text.Length > 0 && text.All(char.IsAsciiDigit);

    /// <summary>An id within 0..<see cref="MaxId"/>; what names it says where it came from.</summary>
    private static uint Id(string text, string what, string user) =>
        uint.TryParse(text, out var id) && id <= MaxId
            ? id
            : throw Errors.Errors.InvalidArgument("InvalidUser",
                $"'{text}' is not a valid {what} (user '{user}'): uids and gids must be in the range 0 to {MaxId}.", user);

    private static List<string[]> Read(IReadOnlyList<string> layersTopFirst, string relative)
    {
        foreach (var layer in layersTopFirst)
        {
            var path = Path.Combine(layer, relative);
            if (Linux.FileStatus.IsWhiteout(path))
                return []; // deleted by this layer
            if (File.Exists(path))
                return File.ReadAllLines(path).Where(l => l.Length > 0 && l[0] != '#').Select(l => l.Split(':')).ToList();
        }
        return [];
    }
}
