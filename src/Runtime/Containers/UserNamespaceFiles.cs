using Container.Runtime.Images;
using Container.Runtime.Linux;
using Container.Runtime.Storage;

namespace Container.Runtime.Containers;

/// <summary>
/// The files of a container in a user namespace, owned as its maps say: its lower layers the
/// id-shifted copies of its image's, its writable layer its root's (its root writes there
/// through the overlay), and a volume it finds empty its root's too. The runtime mounts its
/// rootfs and binds from inside the namespace, as its root, which must reach them: the store's
/// directories on the way let anyone through (0711, never list), and the container's own
/// directory and its volumes' only its root's group (root:group 0710, as docker's userns-remap
/// keeps its root).
/// </summary>
internal static class UserNamespaceFiles
{
    private const uint TraverseOnly = 0b111_001_001;
    private const uint GroupTraverse = 0b111_001_000;

    /// <summary>At creation, in the container's staged directory: the shifted layers made, the upper and work dirs given to its root.</summary>
    public static void Prepare(ImageStore images, ContainerRecord record, string containerDir)
    {
        if (record.UserNamespace is not { } users)
            return;
        ContainerLayers.EnsureShifted(images, record);
        var (uid, gid) = users.RootOnHost();
        foreach (var dir in new[] { ContainerStore.UpperDir, ContainerStore.WorkDir })
            Chown(Path.Combine(containerDir, dir), uid, gid);
        var paths = images.Paths;
        foreach (var dir in new[] { paths.Root, paths.ContainersDir })
            Chmod(dir, TraverseOnly);
        Chown(containerDir, 0, gid);
        Chmod(containerDir, GroupTraverse);
    }

    /// <summary>At each start, for each volume it mounts: the way to the volume's data opened to its root's group.</summary>
    public static void OpenVolume(StorePaths paths, ContainerRecord record, string volumeDir)
    {
        if (record.UserNamespace is not { } users)
            return;
        foreach (var dir in new[] { paths.Root, paths.VolumesDir })
            Chmod(dir, TraverseOnly);
        Chown(volumeDir, 0, users.RootOnHost().Gid);
        Chmod(volumeDir, GroupTraverse);
    }

    /// <summary>
    /// An empty volume's data directory still owned by the host's root, given to the container's
    /// root before the image's files are copied in (which carry their shifted owners with them).
    /// </summary>
    public static void ClaimEmptyVolume(ContainerRecord record, string data)
    {
        if (record.UserNamespace is not { } users || Directory.EnumerateFileSystemEntries(data).Any())
            return;
        var fd = Libc.Open(data, Libc.O_PATH | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0);
        Libc.Check(fd < 0 ? -1 : 0, $"open '{data}'", data);
        try
        {
            if (FileStatus.Of(fd) is not { Uid: 0, Gid: 0 })
                return; // someone gave it its owner: it keeps it
        }
        finally
        {
            Libc.Close(fd);
        }
        var (uid, gid) = users.RootOnHost();
        Chown(data, uid, gid);
    }

    private static void Chown(string path, uint uid, uint gid) =>
        Libc.Check(Libc.Lchown(path, uid, gid), $"chown '{path}'", path);

    private static void Chmod(string path, uint mode) =>
        Libc.Check(Libc.Chmod(path, mode), $"chmod '{path}'", path);
}
