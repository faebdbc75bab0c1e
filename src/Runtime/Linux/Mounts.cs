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

    public void MountFileSystem(string source, string target, string fileSystemType, ulong flags, string? data)
    {
        if (Libc.Mount(source, target, fileSystemType, flags, data) != 0)
        {
            var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            throw Errors.Errors.SystemCall($"mount {fileSystemType} '{source}' on '{target}'", errno, target);
        }
    }

    /// <summary>More mounts stacked on one target than the engine and runtime ever make.</summary>
    private const int MostStacked = 64;

    public void Unmount(string target)
    {
        // each call detaches the topmost mount there, until none is left (EINVAL): the host's
        // mount table, as long as the containers running make it, is not read. Bounded: a
        // mount that propagation keeps bringing back must not spin here for ever.
        for (var detached = 0; detached < MostStacked; detached++)
        {
            if (Libc.Umount2(target, Libc.MNT_DETACH) == 0)
                continue;
            var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            if (errno is Libc.EINVAL or Libc.ENOENT)
                return;
            throw Errors.Errors.SystemCall($"unmount '{target}'", errno, target);
        }
        throw Errors.Errors.SystemCall($"unmount '{target}' ({MostStacked} mounts detached, and one is there still)", Libc.EBUSY, target);
    }

    public bool IsMountPoint(string target)
    {
        var full = Path.GetFullPath(target).TrimEnd('/');
        // the kernel says so (5.8 and later) without the mount table read
        if (Libc.Statx(Libc.AT_FDCWD, full, Libc.AT_SYMLINK_NOFOLLOW, 0, out var status) == 0
            && (status.AttributesMask & Libc.STATX_ATTR_MOUNT_ROOT) != 0)
            return (status.Attributes & Libc.STATX_ATTR_MOUNT_ROOT) != 0;
        return MountTable.Read().Any(mount => mount.MountPoint == full);
    }
}
