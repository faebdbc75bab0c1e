using Container.Runtime.Linux;
using Container.Runtime.Processes;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Conformance;

/// <summary>
/// A copy of the busybox rootfs that a test may change (links, directories), and the host's
/// mounts at or under a path, to see that nothing a runtime did landed there. Dispose removes
/// the copy, never through a mount left in it: such a mount is detached first.
/// </summary>
public sealed class WritableRootfs : IDisposable
{
    public WritableRootfs()
    {
        Path = Directory.CreateTempSubdirectory("writable-rootfs-").FullName;
        File.SetUnixFileMode(Path, (UnixFileMode)0b111_101_101);
        var copied = ProcessRunner.Run("cp", ["-a", BusyboxRootfs.Path + "/.", Path]);
        Assert.True(copied.Succeeded, copied.ErrorText);
    }

    public string Path { get; }

    /// <summary>A host path of the rootfs's own (path relative to it, with or without a leading /).</summary>
    public string At(string path) => System.IO.Path.Combine(Path, path.TrimStart('/'));

    /// <summary>The mount points this process sees at or under path, in the order they were mounted.</summary>
    public static List<string> HostMountsUnder(string path) =>
        [.. MountTable.Read().Select(m => m.MountPoint).Where(m => m == path || m.StartsWith(path.TrimEnd('/') + "/", StringComparison.Ordinal))];

    /// <summary>Detaches every mount at or under path, the newest first.</summary>
    public static void DetachMountsUnder(string path)
    {
        foreach (var mount in Enumerable.Reverse(HostMountsUnder(path)))
            Libc.Umount2(mount, Libc.MNT_DETACH);
        Assert.Empty(HostMountsUnder(path));
    }

    public void Dispose()
    {
        DetachMountsUnder(Path);
        Directory.Delete(Path, recursive: true);
    }
}
