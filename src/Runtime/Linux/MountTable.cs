namespace Container.Runtime.Linux;

/// <summary>One line of /proc/self/mountinfo: where it is mounted, the file system type, its super block's options.</summary>
internal sealed record MountEntry(string MountPoint, string FileSystemType, string SuperOptions);

/// <summary>The mounts this process sees, read from /proc/self/mountinfo: the engine's one reader of it.</summary>
internal static class MountTable
{
    public static IEnumerable<MountEntry> Read()
    {
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            // id parent major:minor root mount-point options [optional...] - type source super-options
            var separator = line.IndexOf(" - ", StringComparison.Ordinal);
            var fields = line.Split(' ', 6);
            if (separator < 0 || fields.Length < 6)
                continue;
            var after = line[(separator + 3)..].Split(' ');
            yield return new MountEntry(Unescape(fields[4]), after[0], after.Length > 2 ? after[2] : "");
        }
    }

    // mountinfo escapes space, tab, newline and backslash as octal
    private static string Unescape(string field) =>
        !field.Contains('\\') ? field : System.Text.RegularExpressions.Regex.Replace(field, @"\\([0-7]{3})",
            m => ((char)Convert.ToInt32(m.Groups[1].Value, 8)).ToString());
}
