using Container.Runtime.Containers;
using Container.Runtime.Storage;

namespace Container.Runtime.Volumes;

/// <summary>
/// Named volumes (docker volume create, ls, inspect, rm, prune), on disk under the store:
/// a directory per volume, its record volume.json (written atomically) and its data _data.
/// Volumes are made and removed under one store-wide lock, which a container's creation holds
/// too from the moment it makes or finds its volumes until its record is in place: so a volume
/// a container refers to, running or not, is never removed, and a removal never races a
/// container that is about to refer to it.
/// </summary>
public sealed class VolumeService
{
    private const string RecordFile = "volume.json";
    private const string DataDir = "_data";
    private const string CopyLockFile = "copy.lock";

    private readonly StorePaths paths;
    private readonly Func<IEnumerable<ContainerRecord>> containers;
    private readonly Linux.IMounts mounts;

    /// <param name="containers">Every container's record, running or not.</param>
    internal VolumeService(StorePaths paths, Func<IEnumerable<ContainerRecord>> containers, Linux.IMounts mounts)
    {
        this.paths = paths;
        this.containers = containers;
        this.mounts = mounts;
    }

    /// <summary>Makes a volume (docker volume create); one of that name is refused.</summary>
    public ContainerVolume Create(VolumeSpec spec)
    {
        VolumeNames.Check(spec.Name);
        if (spec.Driver != ContainerVolume.LocalDriver)
            throw Errors.Errors.VolumeDriverNotSupported(spec.Driver);
        var options = spec.Options?.ToDictionary() ?? [];
        LocalDriverMount.Check(spec.Name, options);
        using var _ = Lock();
        if (ReadRecord(spec.Name) != null)
            throw Errors.Errors.VolumeExists(spec.Name);
        return Describe(MakeLocked(spec.Name, spec.Labels?.ToDictionary() ?? [], options, anonymous: false, removeWhenUnused: false));
    }

    /// <summary>The volumes' lock, which a container's creation holds while it makes or finds its volumes and records itself.</summary>
    internal FileLock Lock()
    {
        paths.EnsureCreated();
        return FileLock.Acquire(Path.Combine(paths.LocksDir, "volumes.lock"));
    }

    /// <summary>A volume's own lock, held while the image's files are copied into it (so that only one start copies).</summary>
    internal FileLock CopyLock(string name) => FileLock.Acquire(Path.Combine(paths.VolumeDir(name), CopyLockFile));

    /// <summary>
    /// A volume a container's creation found missing (docker makes a named volume on first use),
    /// or an anonymous one, which with removeWhenUnused goes once no container refers to it; under <see cref="Lock"/>.
    /// </summary>
    internal ContainerVolume MakeLocked(string name, bool anonymous, bool removeWhenUnused) =>
        MakeLocked(name, [], [], anonymous, removeWhenUnused);

    private ContainerVolume MakeLocked(string name, Dictionary<string, string> labels, Dictionary<string, string> options, bool anonymous, bool removeWhenUnused)
    {
        var volume = new ContainerVolume
        {
            Name = name,
            Labels = labels,
            Options = options,
            Anonymous = anonymous,
            RemoveWhenUnused = removeWhenUnused,
            Created = DateTimeOffset.UtcNow,
        };
        // made aside and renamed into place: a crash leaves no volume without its record
        var staged = Staging.NewPath(paths, "-volume");
        Directory.CreateDirectory(Path.Combine(staged, DataDir));
        Json.WriteFile(Path.Combine(staged, RecordFile), volume);
        Directory.Move(staged, paths.VolumeDir(name));
        volume.Mountpoint = DataPath(name);
        return volume;
    }

    internal StorePaths Paths => paths;

    /// <summary>Where a volume's files are on the host.</summary>
    public string DataPath(string name) => Path.Combine(paths.VolumeDir(name), DataDir);

    /// <summary>A volume by name, with its users and size.</summary>
    public ContainerVolume Get(string name)
    {
        RemoveEnded();
        return Describe(Find(name));
    }

    /// <summary>A volume's record, without its users and size (which take a walk of every container and of its files).</summary>
    private ContainerVolume Find(string name) =>
        (VolumeNames.IsValid(name) ? ReadRecord(name) : null) ?? throw Errors.Errors.VolumeNotFound(name);

    /// <summary>Every volume, by name.</summary>
    public IReadOnlyList<ContainerVolume> List()
    {
        RemoveEnded();
        var users = UsersByVolume();
        return Records().OrderBy(v => v.Name, StringComparer.Ordinal).Select(v => Describe(v, users)).ToList();
    }

    /// <summary>The volumes a name or wildcard pattern stands for; a pattern that matches nothing yields nothing, a literal name VolumeNotFound.</summary>
    public IReadOnlyList<string> Select(string nameOrPattern)
    {
        RemoveEnded();
        if (!Text.Wildcard.IsPattern(nameOrPattern))
            return [Find(Text.Wildcard.Unescape(nameOrPattern)).Name];
        var pattern = Text.Wildcard.Parse(nameOrPattern);
        return Records().Select(v => v.Name).Where(pattern.IsMatch).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Removes a volume and its data (docker volume rm), refused while any container, running or not, refers to it.</summary>
    public void Remove(string name)
    {
        using var _ = Lock();
        RemoveLocked(name, UsersByVolume());
    }

    /// <summary>
    /// The volumes no container refers to (what docker volume prune removes): the anonymous
    /// ones only, unless includeNamed, as docker 23 made its default. Nothing is removed here.
    /// </summary>
    public IReadOnlyList<ContainerVolume> Unused(bool includeNamed)
    {
        RemoveEnded();
        var users = UsersByVolume();
        return Records().Where(v => !users.ContainsKey(v.Name) && (includeNamed || v.Anonymous))
            .OrderBy(v => v.Name, StringComparer.Ordinal).Select(v => Describe(v, users)).ToList();
    }

    /// <summary>
    /// Removes a volume <see cref="Unused"/> found, if it is still there and unused now (a
    /// prune): false, and nothing done, when another's prune took it first or a container
    /// made meanwhile refers to it.
    /// </summary>
    public bool RemoveIfUnused(string name)
    {
        using var _ = Lock();
        var users = UsersByVolume();
        if (!VolumeNames.IsValid(name) || ReadRecord(name) == null || users.ContainsKey(name))
            return false;
        RemoveLocked(name, users);
        return true;
    }

    /// <summary>A container's anonymous volumes that no other container refers to, removed with it (docker rm -v); under <see cref="Lock"/>.</summary>
    internal void RemoveAnonymousLocked(IEnumerable<string> names)
    {
        var users = UsersByVolume();
        foreach (var name in names)
            if (ReadRecord(name) is { Anonymous: true } && !users.ContainsKey(name))
                RemoveLocked(name, users);
    }

    /// <summary>
    /// The anonymous volumes of auto-removed containers that have ended, removed: the monitor that
    /// removes such a container knows nothing of volumes, so whoever next looks at them does it
    /// (as a crash's leftovers are cleaned by the next command).
    /// </summary>
    private void RemoveEnded()
    {
        if (!Records().Any(v => v.RemoveWhenUnused))
            return;
        using var _ = Lock();
        var users = UsersByVolume();
        foreach (var volume in Records().Where(v => v.RemoveWhenUnused && !users.ContainsKey(v.Name)).ToList())
            RemoveLocked(volume.Name, users);
    }

    /// <summary>A volume a failed creation made, removed again; under <see cref="Lock"/>.</summary>
    internal void RemoveMadeLocked(string name) => RemoveLocked(name, []);

    private void RemoveLocked(string name, Dictionary<string, List<string>> users)
    {
        if (!VolumeNames.IsValid(name) || ReadRecord(name) == null)
            throw Errors.Errors.VolumeNotFound(name);
        if (users.TryGetValue(name, out var holders))
            throw Errors.Errors.VolumeInUse(name, holders);
        mounts.Unmount(DataPath(name));
        var doomed = Staging.NewPath(paths, "-volume");
        Directory.Move(paths.VolumeDir(name), doomed);
        Directory.Delete(doomed, recursive: true);
    }

    /// <summary>
    /// A volume's files as a tar archive at path (written aside, then renamed into place): owners,
    /// modes, times, extended attributes and hard links kept, links written as links.
    /// </summary>
    public void Export(string name, string path)
    {
        var data = Find(name).Mountpoint;
        AtomicFile.Write(Path.GetFullPath(path), output => Images.LayerArchive.Write(data, output));
    }

    /// <summary>
    /// A new volume holding what a tar archive (plain or gzip) holds, unpacked aside and renamed
    /// into place: no entry leaves the volume, and a damaged archive leaves no volume.
    /// </summary>
    public ContainerVolume Import(string path, string name, IReadOnlyDictionary<string, string>? labels = null)
    {
        VolumeNames.Check(name);
        if (!File.Exists(path))
            throw Errors.Errors.PathNotFound(path);
        using (Lock())
            if (ReadRecord(name) != null)
                throw Errors.Errors.VolumeExists(name);
        var staged = Staging.NewPath(paths, "-volume");
        try
        {
            Directory.CreateDirectory(Path.Combine(staged, DataDir));
            try
            {
                using var file = File.OpenRead(path);
                using var tar = Images.Compression.IsGzip(file) ? new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionMode.Decompress) : (Stream)file;
                Images.LayerUnpacker.Unpack(tar, Path.Combine(staged, DataDir));
            }
            catch (Errors.ContainerException e) when (e.ErrorId == "InvalidLayer")
            {
                throw Errors.Errors.InvalidVolumeArchive(path, e.Message, e);
            }
            var volume = new ContainerVolume { Name = name, Labels = labels?.ToDictionary() ?? [], Created = DateTimeOffset.UtcNow };
            Json.WriteFile(Path.Combine(staged, RecordFile), volume);
            using (Lock())
            {
                if (ReadRecord(name) != null)
                    throw Errors.Errors.VolumeExists(name);
                Directory.Move(staged, paths.VolumeDir(name));
            }
            return Get(name);
        }
        finally
        {
            if (Directory.Exists(staged))
                Directory.Delete(staged, recursive: true);
        }
    }

    /// <summary>Mounts what a volume's local driver options name on its data (once: it stays until the volume is removed or the host reboots); under <see cref="Lock"/>.</summary>
    internal void MountLocked(ContainerVolume volume)
    {
        if (volume.Options.Count > 0 && !mounts.IsMountPoint(DataPath(volume.Name)))
            LocalDriverMount.Mount(mounts, volume.Name, volume.Options, DataPath(volume.Name));
    }

    internal ContainerVolume? ReadRecord(string name)
    {
        var volume = Json.ReadFileIfExists<ContainerVolume>(Path.Combine(paths.VolumeDir(name), RecordFile));
        if (volume != null)
            volume.Mountpoint = DataPath(name);
        return volume;
    }

    private IEnumerable<ContainerVolume> Records() =>
        Directory.Exists(paths.VolumesDir)
            ? Directory.EnumerateDirectories(paths.VolumesDir).Select(d => ReadRecord(Path.GetFileName(d))).OfType<ContainerVolume>()
            : [];

    /// <summary>Each volume any container refers to, with those containers' names.</summary>
    private Dictionary<string, List<string>> UsersByVolume()
    {
        var users = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var record in containers())
            foreach (var mount in record.Mounts.Where(m => m.Type == MountType.Volume && m.Source != null).DistinctBy(m => m.Source))
            {
                if (!users.TryGetValue(mount.Source!, out var names))
                    users[mount.Source!] = names = [];
                names.Add(record.Name);
            }
        return users;
    }

    private ContainerVolume Describe(ContainerVolume volume) => Describe(volume, UsersByVolume());

    private static ContainerVolume Describe(ContainerVolume volume, Dictionary<string, List<string>> users)
    {
        volume.UsedBy = users.TryGetValue(volume.Name, out var names) ? names.Order(StringComparer.Ordinal).ToList() : [];
        volume.Size = Storage.DirectorySize.Of(volume.Mountpoint);
        return volume;
    }
}
