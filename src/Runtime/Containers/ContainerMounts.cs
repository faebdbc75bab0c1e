using Container.Runtime.Images;
using Container.Runtime.Linux;
using Container.Runtime.Oci;
using Container.Runtime.Volumes;

namespace Container.Runtime.Containers;

/// <summary>
/// A container's binds, volumes and tmpfs mounts, from what it is made with to its bundle:
/// at creation, the mounts of --volumes-from, then its own, then the image's VOLUMEs as
/// anonymous volumes, their volumes found or made; as OCI mounts in the bundle, so the same
/// bundle runs under crun and runc; at each start, what must be there before the runtime
/// mounts them (a missing short-form bind source, a volume's driver mount, the image's files
/// copied into an empty volume).
/// </summary>
internal sealed class ContainerMounts(VolumeService volumes)
{
    /// <summary>
    /// The mounts of a new container, its volumes found or made (made ones in made, to be
    /// removed should the creation fail); under the volumes' lock, held until its record is in place.
    /// </summary>
    /// <param name="recordOf">Another container's record, by name or id (--volumes-from).</param>
    public List<ContainerMount> Resolve(ContainerSpec spec, ContainerImage image, Func<string, ContainerRecord> recordOf, List<string> made)
    {
        var byTarget = new Dictionary<string, ContainerMount>(StringComparer.Ordinal);
        foreach (var from in spec.VolumesFrom ?? [])
        {
            var (reference, mode) = SplitVolumesFrom(from);
            foreach (var mount in recordOf(reference).Mounts)
                byTarget[mount.Target] = mode == null ? mount : mount with { ReadOnly = mode == "ro" };
        }
        var own = new HashSet<string>(StringComparer.Ordinal);
        foreach (var mount in spec.Mounts ?? [])
        {
            if (!own.Add(mount.Target))
                throw Errors.Errors.DuplicateMountTarget(mount.Target);
            if (mount is { Type: MountType.Bind, CreateSource: false } && !Path.Exists(mount.Source))
                throw Errors.Errors.BindSourceNotFound(mount.Source!);
            byTarget[mount.Target] = mount;
        }
        foreach (var target in image.Config.Config?.Volumes?.Keys ?? Enumerable.Empty<string>())
        {
            var clean = MountParser.ParseVolume(target, "/").Target;
            byTarget.TryAdd(clean, new ContainerMount { Type = MountType.Volume, Target = clean, Anonymous = true });
        }
        var mounts = new List<ContainerMount>();
        foreach (var mount in byTarget.Values)
        {
            if (mount.Type != MountType.Volume)
            {
                mounts.Add(mount);
                continue;
            }
            var name = mount.Source ?? Ids.New();
            if (volumes.ReadRecord(name) == null)
            {
                volumes.MakeLocked(name, anonymous: mount.Source == null);
                made.Add(name);
            }
            if (mount.Subpath != null)
                CheckSubpath(name, mount.Subpath); // now, and again at each start
            mounts.Add(mount with { Source = name });
        }
        // parents before what is mounted inside them, as docker orders them
        return mounts.OrderBy(m => m.Target.Count(c => c == '/')).ThenBy(m => m.Target, StringComparer.Ordinal).ToList();
    }

    /// <summary>Whether making a container with this spec needs the volumes' lock (any volume, of its own, another's or its image's).</summary>
    public static bool NeedVolumes(ContainerSpec spec, ContainerImage image) =>
        spec.VolumesFrom is { Count: > 0 } || spec.Mounts?.Any(m => m.Type == MountType.Volume) == true || image.Config.Config?.Volumes is { Count: > 0 };

    /// <summary>The OCI mounts of the container's own mounts, in their order.</summary>
    public List<MountSpec> Oci(IEnumerable<ContainerMount> mounts) => mounts.Select(mount => mount.Type switch
    {
        MountType.Tmpfs => new MountSpec
        {
            Destination = mount.Target,
            Type = "tmpfs",
            Source = "tmpfs",
            Options = [.. mount.TmpfsFlags ?? [], mount.ReadOnly ? "ro" : "rw",
                       $"mode={Convert.ToString(mount.TmpfsMode ?? 0b1_111_111_111, 8)}",
                       .. mount.TmpfsSize is { } size ? [$"size={size}"] : Array.Empty<string>()],
        },
        _ => new MountSpec
        {
            Destination = mount.Target,
            Type = "bind",
            Source = mount.Type == MountType.Bind ? mount.Source : SourceOf(mount),
            Options = ["rbind", mount.ReadOnly ? "ro" : "rw", mount.Propagation ?? "rprivate"],
        },
    }).ToList();

    /// <summary>
    /// What the runtime needs in place to mount them, at each start (the rootfs mounted): a
    /// short-form bind's missing source made, a volume's driver mount, and the image's files at
    /// the target copied into an empty volume (docker's copy, which nocopy turns off).
    /// </summary>
    public void Prepare(ContainerRecord record, string rootfs)
    {
        // taken once, and only by a container with volumes
        using var _ = record.Mounts.Any(m => m.Type == MountType.Volume) ? volumes.Lock() : null;
        foreach (var mount in record.Mounts)
        {
            if (mount is { Type: MountType.Bind, CreateSource: true } && !Path.Exists(mount.Source))
                Directory.CreateDirectory(mount.Source!);
            if (mount.Type != MountType.Volume)
                continue;
            var volume = volumes.ReadRecord(mount.Source!) ?? throw Errors.Errors.VolumeNotFound(mount.Source!);
            volumes.MountLocked(volume);
            UserNamespaceFiles.OpenVolume(volumes.Paths, record, Path.GetDirectoryName(volume.Mountpoint)!);
            if (mount.Subpath != null)
                CheckSubpath(volume.Name, mount.Subpath);
            else
            {
                UserNamespaceFiles.ClaimEmptyVolume(record, volume.Mountpoint);
                if (!mount.NoCopy)
                    CopyImageFiles(rootfs, mount.Target, volume.Mountpoint);
            }
        }
    }

    /// <summary>
    /// A stopped container's binds and volumes bound onto its mounted rootfs, so that a copy
    /// reads and writes through them as through a running one's (docker cp); undone on
    /// disposal. Each mount point is resolved inside the rootfs and bound by its descriptor;
    /// missing ones are made, as the runtime makes them at start. A tmpfs holds nothing while
    /// the container is stopped, and is left out.
    /// </summary>
    public IDisposable BindForCopy(ContainerRecord record, string rootfs, IMounts hostMounts)
    {
        const ulong MS_RDONLY = 1, MS_REMOUNT = 32, MS_BIND = 4096, MS_REC = 16384;
        var bound = new BoundMounts(hostMounts);
        try
        {
            foreach (var mount in record.Mounts.Where(m => m.Type != MountType.Tmpfs))
            {
                var source = mount.Type == MountType.Bind ? mount.Source! : SourceOf(mount);
                if (!Path.Exists(source))
                    continue;
                using var root = RootedPath.OpenRoot(rootfs);
                using var point = MountPoint(root, mount.Target, directory: Directory.Exists(source));
                // where it is, by the descriptor's link: inside the rootfs, as it was resolved
                var path = new FileInfo(point.Path).LinkTarget!;
                hostMounts.MountFileSystem(source, point.Path, "none", MS_BIND | MS_REC, null);
                bound.Points.Add(path);
                if (mount.ReadOnly)
                    hostMounts.MountFileSystem("none", path, "none", MS_BIND | MS_REMOUNT | MS_RDONLY, null);
            }
            return bound;
        }
        catch
        {
            bound.Dispose();
            throw;
        }
    }

    private sealed class BoundMounts(IMounts hostMounts) : IDisposable
    {
        public List<string> Points { get; } = [];

        public void Dispose()
        {
            // innermost first
            for (var i = Points.Count - 1; i >= 0; i--)
                hostMounts.Unmount(Points[i]);
        }
    }

    /// <summary>The mount point for target inside root, its missing directories made on the way (the last one a file for a file's bind).</summary>
    private static RootedPath MountPoint(RootedPath root, string target, bool directory)
    {
        var parts = target.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 1; i <= parts.Length; i++)
        {
            var prefix = "/" + string.Join('/', parts[..i]);
            if (root.Resolve(prefix, followFinalLink: true) is { } existing)
            {
                if (i == parts.Length)
                    return existing;
                existing.Dispose();
                continue;
            }
            using var parent = root.Resolve("/" + string.Join('/', parts[..(i - 1)]), followFinalLink: true)
                               ?? throw Errors.Errors.PathNotFound(target);
            var last = i == parts.Length;
            if (last && !directory)
            {
                var fd = Libc.Openat(parent.Descriptor, parts[i - 1], Libc.O_CREAT | Libc.O_EXCL | Libc.O_WRONLY | Libc.O_NOFOLLOW | Libc.O_CLOEXEC, 0b110_100_100);
                Libc.Check(fd < 0 ? -1 : 0, $"make the mount point '{target}'", target);
                Libc.Close(fd);
            }
            else
                Libc.Check(Libc.Mkdirat(parent.Descriptor, parts[i - 1], 0b111_101_101), $"make the mount point '{target}'", target);
            if (last)
                return root.Resolve(prefix, followFinalLink: true) ?? throw Errors.Errors.PathNotFound(target);
        }
        throw Errors.Errors.PathNotFound(target);
    }

    /// <summary>The mount a container path is on, by its name (the deepest whose target holds it); null for the rootfs.</summary>
    public static ContainerMount? Covering(ContainerRecord record, string containerPath)
    {
        var path = "/" + string.Join('/', containerPath.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != "."));
        return record.Mounts.Where(m => path == m.Target || path.StartsWith(m.Target + "/", StringComparison.Ordinal))
            .MaxBy(m => m.Target.Length);
    }

    /// <summary>The anonymous volumes of a container's mounts, by name.</summary>
    public static IEnumerable<string> AnonymousVolumes(ContainerRecord record) =>
        record.Mounts.Where(m => m is { Type: MountType.Volume, Anonymous: true }).Select(m => m.Source!);

    private static void CopyImageFiles(string rootfs, string target, string data)
    {
        if (Directory.EnumerateFileSystemEntries(data).Any())
            return;
        using var root = RootedPath.OpenRoot(rootfs);
        using var found = root.Resolve(target, followFinalLink: true);
        if (found?.Kind != FileStatus.Kind.Directory || !Directory.EnumerateFileSystemEntries(found.Path).Any())
            return;
        using var destination = RootedPath.OpenRoot(data);
        FileCopy.Copy(root, target + "/.", destination, "/", makeDevices: true);
    }

    private string SourceOf(ContainerMount mount)
    {
        var data = volumes.DataPath(mount.Source!);
        return mount.Subpath == null ? data : Path.Combine(data, mount.Subpath);
    }

    /// <summary>
    /// Checks a volume's subpath: a directory or file in the volume, reached through no link,
    /// so that the runtime, which binds its path, cannot be led out of the volume by one.
    /// </summary>
    private void CheckSubpath(string volume, string subpath)
    {
        var data = volumes.DataPath(volume);
        using var root = RootedPath.OpenRoot(data);
        using var found = root.Resolve(subpath, followFinalLink: false)
                          ?? throw Errors.Errors.InvalidSubpath(volume, subpath, "it does not exist in the volume");
        if (found.Kind is not (FileStatus.Kind.Directory or FileStatus.Kind.RegularFile))
            throw Errors.Errors.InvalidSubpath(volume, subpath, "it is not a directory or a file");
        if (new FileInfo(found.Path).LinkTarget != Path.Combine(data, subpath))
            throw Errors.Errors.InvalidSubpath(volume, subpath, "a symbolic link is on its way");
    }

    private static (string Reference, string? Mode) SplitVolumesFrom(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon < 0)
            return (text, null);
        var mode = text[(colon + 1)..];
        return mode is "ro" or "rw"
            ? (text[..colon], mode)
            : throw Errors.Errors.InvalidMountOption(text, mode, "--volumes-from takes ro or rw");
    }
}
