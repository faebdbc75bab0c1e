namespace Container.Runtime.Linux;

/// <summary>The host's mounts: overlays by mount(2), what is mounted where from /proc/self/mountinfo.</summary>
internal sealed class Mounts : IMounts
{
    private Mounts()
    {
    }

    public static Mounts Host { get; } = new();

    public void MountOverlay(string target, IReadOnlyList<string> lowerDirs, string upperDir, string workDir)
    {
        var options = $"lowerdir={string.Join(':', lowerDirs)},upperdir={upperDir},workdir={workDir}";
        if (Libc.Mount("overlay", target, "overlay", 0, options) != 0)
        {
            var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            throw Errors.Errors.SystemCall($"mount overlay on '{target}'", errno, target);
        }
    }

    public void MountReadOnlyOverlay(string target, IReadOnlyList<string> lowerDirs)
    {
        const ulong MS_RDONLY = 1;
        if (Libc.Mount("overlay", target, "overlay", MS_RDONLY, $"lowerdir={string.Join(':', lowerDirs)}") != 0)
        {
            var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            throw Errors.Errors.SystemCall($"mount a read-only overlay on '{target}'", errno, target);
        }
    }

    public void Unmount(string target)
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

    public bool IsMountPoint(string target)
    {
        var full = Path.GetFullPath(target).TrimEnd('/');
        return MountTable.Read().Any(mount => mount.MountPoint == full);
    }
}
