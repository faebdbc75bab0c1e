namespace Container.Runtime.Linux;

/// <summary>Overlay mounts of container root filesystems, and what is mounted where.</summary>
internal static class Mounts
{
    /// <summary>
    /// Mounts an overlay: the lower directories read-only (topmost first), upper for writes.
    /// </summary>
    public static void MountOverlay(string target, IReadOnlyList<string> lowerDirs, string upperDir, string workDir)
    {
        var options = $"lowerdir={string.Join(':', lowerDirs)},upperdir={upperDir},workdir={workDir}";
        if (Libc.Mount("overlay", target, "overlay", 0, options) != 0)
        {
            var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            throw Errors.Errors.SystemCall($"mount overlay on '{target}'", errno, target);
        }
    }

    /// <summary>A read-only overlay of the directories given, topmost first (whiteouts in them apply).</summary>
    public static void MountReadOnlyOverlay(string target, IReadOnlyList<string> lowerDirs)
    {
        const ulong MS_RDONLY = 1;
        if (Libc.Mount("overlay", target, "overlay", MS_RDONLY, $"lowerdir={string.Join(':', lowerDirs)}") != 0)
        {
            var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            throw Errors.Errors.SystemCall($"mount a read-only overlay on '{target}'", errno, target);
        }
    }

    /// <summary>Detaches the mount at target; nothing mounted there is fine.</summary>
    public static void Unmount(string target)
    {
        while (IsMountPoint(target))
        {
            if (Libc.Umount2(target, Libc.MNT_DETACH) != 0)
            {
                var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                if (errno is Libc.EINVAL or Libc.ENOENT)
                    return;
                throw Errors.Errors.SystemCall($"unmount '{target}'", errno, target);
            }
        }
    }

    /// <summary>Whether some mount in this mount namespace has target as its mount point.</summary>
    public static bool IsMountPoint(string target)
    {
        var full = Path.GetFullPath(target).TrimEnd('/');
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            // id parent major:minor root mount-point ...
            var fields = line.Split(' ', 6);
            if (fields.Length > 4 && Unescape(fields[4]) == full)
                return true;
        }
        return false;
    }

    // mountinfo escapes space, tab, newline and backslash as octal
    private static string Unescape(string field) =>
        !field.Contains('\\') ? field : System.Text.RegularExpressions.Regex.Replace(field, @"\\([0-7]{3})",
            m => ((char)Convert.ToInt32(m.Groups[1].Value, 8)).ToString());
}
