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
/// copied into an empty volume, each volume subpath bound where the runtime finds it).
/// </summary>
internal sealed class ContainerMounts(VolumeService volumes, IMounts hostMounts)
{
    private const ulong MS_RDONLY = 1, MS_NOSUID = 2, MS_NODEV = 4, MS_NOEXEC = 8, MS_REMOUNT = 32, MS_BIND = 4096, MS_REC = 16384;

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
                // an auto-removed container's anonymous volumes go with it (docker run --rm)
                volumes.MakeLocked(name, anonymous: mount.Source == null, removeWhenUnused: mount.Source == null && spec.AutoRemove);
                made.Add(name);
            }
            if (mount.Subpath != null)
                OpenSubpath(name, mount.Subpath).Dispose(); // checked now, and opened again at each start
            mounts.Add(mount with { Source = name });
        }
        // parents before what is mounted inside them, as docker orders them
        return mounts.OrderBy(m => m.Target.Count(c => c == '/')).ThenBy(m => m.Target, StringComparer.Ordinal).ToList();
    }

    /// <summary>Whether making a container with this spec needs the volumes' lock (any volume, of its own, another's or its image's).</summary>
    public static bool NeedVolumes(ContainerSpec spec, ContainerImage image) =>
        spec.VolumesFrom is { Count: > 0 } || spec.Mounts?.Any(m => m.Type == MountType.Volume) == true || image.Config.Config?.Volumes is { Count: > 0 };

    /// <summary>The OCI mounts of the container's own mounts, in their order; a volume subpath's source is where <see cref="Prepare"/> binds it, under subpaths.</summary>
    public List<MountSpec> Oci(IReadOnlyList<ContainerMount> mounts, string subpaths) => mounts.Select((mount, index) => mount.Type switch
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
            Source = mount.Type == MountType.Bind ? mount.Source
                : mount.Subpath == null ? volumes.DataPath(mount.Source!)
                : SubpathPoint(subpaths, index),
            Options = ["rbind", mount.ReadOnly ? "ro" : "rw", mount.Propagation ?? "rprivate"],
        },
    }).ToList();

    /// <summary>
    /// What the runtime needs in place to mount them, at each start (the rootfs mounted): a
    /// short-form bind's missing source made, a volume's driver mount, the image's files at
    /// the target copied into an empty volume (docker's copy, which nocopy turns off), and each
    /// volume subpath bound under subpaths (a tmpfs only root reaches, unmounted with the rootfs).
    /// </summary>
    public void Prepare(ContainerRecord record, string rootfs, string subpaths)
    {
        var copies = new List<(ContainerVolume Volume, string Target)>();
        // taken once, and only by a container with volumes
        using (record.Mounts.Any(m => m.Type == MountType.Volume) ? volumes.Lock() : null)
        {
            if (record.Mounts.Any(m => m.Subpath != null))
                MountSubpathsDir(subpaths, record);
            for (var index = 0; index < record.Mounts.Count; index++)
            {
                var mount = record.Mounts[index];
                if (mount is { Type: MountType.Bind, CreateSource: true } && !Path.Exists(mount.Source))
                    Directory.CreateDirectory(mount.Source!);
                if (mount.Type != MountType.Volume)
                    continue;
                var volume = volumes.ReadRecord(mount.Source!) ?? throw Errors.Errors.VolumeNotFound(mount.Source!);
                volumes.MountLocked(volume);
                UserNamespaceFiles.OpenVolume(volumes.Paths, record, Path.GetDirectoryName(volume.Mountpoint)!);
                if (mount.Subpath != null)
                    BindSubpath(volume.Name, mount.Subpath, SubpathPoint(subpaths, index));
                else
                {
                    UserNamespaceFiles.ClaimEmptyVolume(record, volume.Mountpoint);
                    if (!mount.NoCopy)
                        copies.Add((volume, mount.Target));
                }
            }
        }
        // past the volumes' lock, which a copy of many files would hold up for every other: this
        // container refers to its volumes, so none is removed meanwhile, and each volume's own
        // lock keeps two starts from copying into the same one
        foreach (var (volume, target) in copies)
        {
            using var _ = volumes.CopyLock(volume.Name);
            CopyImageFiles(rootfs, target, volume.Mountpoint);
        }
    }

    private static string SubpathPoint(string subpaths, int index) => Path.Combine(subpaths, index.ToString());

    /// <summary>
    /// A tmpfs for the subpaths' mount points, only root's (and, in a user namespace, passable by
    /// its root's group, as the runtime binds from inside it): a container that shares the volume
    /// can change the subpath's directories but never these, and one unmount takes all the binds.
    /// </summary>
    private void MountSubpathsDir(string subpaths, ContainerRecord record)
    {
        Directory.CreateDirectory(subpaths);
        hostMounts.Unmount(subpaths); // what a crashed start left
        var access = record.UserNamespace is { } users ? $"mode=710,gid={users.RootOnHost().Gid}" : "mode=700";
        hostMounts.MountFileSystem("tmpfs", subpaths, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, access + ",size=16k");
    }

    /// <summary>
    /// Binds a volume's subpath, by the descriptor it was resolved to inside the volume, onto
    /// point: the runtime binds point, so a link a container swaps into the subpath's way after
    /// the check (the mount race of CVE-2021-30465, from the source's side) leads nowhere.
    /// </summary>
    private void BindSubpath(string volume, string subpath, string point)
    {
        using var source = OpenSubpath(volume, subpath);
        if (source.Kind == FileStatus.Kind.Directory)
            Directory.CreateDirectory(point);
        else
            File.WriteAllBytes(point, []);
        hostMounts.MountFileSystem(source.Path, point, "none", MS_BIND | MS_REC, null);
    }

    /// <summary>
    /// A stopped container's binds and volumes bound onto its mounted rootfs, so that a copy
    /// reads and writes through them as through a running one's (docker cp); undone on
    /// disposal. Each mount point is resolved inside the rootfs and bound by its descriptor;
    /// missing ones are made, as the runtime makes them at start. A tmpfs holds nothing while
    /// the container is stopped, and is left out.
    /// </summary>
    public IDisposable BindForCopy(ContainerRecord record, string rootfs)
    {
        var bound = new BoundMounts(hostMounts);
        try
        {
            foreach (var mount in record.Mounts.Where(m => m.Type != MountType.Tmpfs))
            {
                // a subpath by its descriptor, as at start
                using var subpath = mount.Subpath != null ? OpenSubpath(mount.Source!, mount.Subpath) : null;
                var source = subpath?.Path ?? (mount.Type == MountType.Bind ? mount.Source! : volumes.DataPath(mount.Source!));
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

    /// <summary>
    /// A volume's subpath, opened: a directory or file in the volume, resolved inside it and
    /// reached through no link (one would be the volume's users' to swap).
    /// </summary>
    private RootedPath OpenSubpath(string volume, string subpath)
    {
        var data = volumes.DataPath(volume);
        using var root = RootedPath.OpenRoot(data);
        var found = root.Resolve(subpath, followFinalLink: false)
                    ?? throw Errors.Errors.InvalidSubpath(volume, subpath, "it does not exist in the volume");
        try
        {
            if (found.Kind is not (FileStatus.Kind.Directory or FileStatus.Kind.RegularFile))
                throw Errors.Errors.InvalidSubpath(volume, subpath, "it is not a directory or a file");
            if (new FileInfo(found.Path).LinkTarget != Path.Combine(data, subpath))
                throw Errors.Errors.InvalidSubpath(volume, subpath, "a symbolic link is on its way");
            return found;
        }
        catch
        {
            found.Dispose();
            throw;
        }
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
