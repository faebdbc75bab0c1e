namespace Container.Runtime.Containers;

/// <summary>The ids a container's user stands for, and its home (from its passwd entry; "/" without one, as docker gives HOME).</summary>
public sealed record ResolvedUser(uint Uid, uint Gid, IReadOnlyList<uint> AdditionalGids, string Home = "/");

/// <summary>
/// "name", "uid", "name:group", "uid:gid" against the image's own /etc/passwd and /etc/group
/// (from the topmost layer that has them), as docker resolves --user.
/// </summary>
public static class UserResolver
{
    public static ResolvedUser Resolve(string? user, IReadOnlyList<string> layersTopFirst)
    {
        if (string.IsNullOrEmpty(user))
            user = "0";
        var parts = user.Split(':', 2);
        var passwd = Read(layersTopFirst, "etc/passwd");
        var groups = Read(layersTopFirst, "etc/group");

        uint uid;
        uint? primaryGid = null;
        string? userName = null;
        var home = "/";
        if (uint.TryParse(parts[0], out uid))
        {
            var entry = passwd.FirstOrDefault(p => p.Length > 3 && p[2] == parts[0]);
            if (entry != null)
            {
                userName = entry[0];
                primaryGid = uint.TryParse(entry[3], out var g) ? g : null;
                home = HomeOf(entry);
            }
        }
        else
        {
            var entry = passwd.FirstOrDefault(p => p.Length > 3 && p[0] == parts[0])
                        ?? throw Errors.Errors.InvalidArgument("UnknownUser", $"No user '{parts[0]}' in the image's /etc/passwd.", user);
            uid = uint.Parse(entry[2]);
            primaryGid = uint.Parse(entry[3]);
            userName = entry[0];
            home = HomeOf(entry);
        }
        uint gid;
        if (parts.Length == 2)
        {
            if (!uint.TryParse(parts[1], out gid))
            {
                var group = groups.FirstOrDefault(g => g.Length > 2 && g[0] == parts[1])
                            ?? throw Errors.Errors.InvalidArgument("UnknownGroup", $"No group '{parts[1]}' in the image's /etc/group.", user);
                gid = uint.Parse(group[2]);
            }
        }
        else
            gid = primaryGid ?? 0;
        // the primary group, then the groups that list the user by name, as docker gives them
        var additional = new List<uint> { gid };
        if (userName != null)
            additional.AddRange(groups.Where(g => g.Length > 3 && g[3].Split(',').Contains(userName) && uint.TryParse(g[2], out _))
                .Select(g => uint.Parse(g[2])));
        return new ResolvedUser(uid, gid, additional.Distinct().ToList(), home);
    }

    private static string HomeOf(string[] passwdEntry) => passwdEntry.Length > 5 && passwdEntry[5].Length > 0 ? passwdEntry[5] : "/";

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
