using Container.Runtime.Storage;

namespace Container.Runtime.Containers;

/// <summary>
/// Containers on disk: one directory per id (record, bundle, writable layer, run and
/// exit files, log, lock) and a name index of one file per name, created exclusively,
/// so two sessions can never give the same name twice.
/// </summary>
internal sealed class ContainerStore(StorePaths paths)
{
    public const string RecordFile = "container.json";
    public const string RunFile = "run.json";
    public const string ExitFile = "exit.json";
    public const string LogFile = "container.log";
    public const string HealthFile = "health.json";
    /// <summary>Written by Stop, so a restart policy stands down.</summary>
    public const string StopRequestedFile = "stop-requested";

    /// <summary>The monitor's copy of the runtime's state of the run (see RuntimeStateCopy).</summary>
    public const string RuntimeStateCopyDir = "runtime-state";

    /// <summary>Held by the container's monitor while it lives (see the monitor).</summary>
    public const string MonitorLockFile = "monitor.lock";

    /// <summary>Held by the engine from a start's first step to its monitor's answer: whoever looks meanwhile sees the container Starting.</summary>
    public const string StartingLockFile = "starting.lock";
    public const string BundleConfigFile = "config.json";
    public const string RootfsDir = "rootfs";
    public const string UpperDir = "upper";
    public const string WorkDir = "work";
    /// <summary>Where, while it runs, each volume subpath it mounts is bound for the runtime (ContainerMounts.Prepare).</summary>
    public const string SubpathsDir = "subpaths";

    public StorePaths Paths => paths;

    public string Dir(string id) => paths.ContainerDir(id);

    public string FileOf(string id, string name) => Path.Combine(paths.ContainerDir(id), name);

    /// <summary>Ids of every complete container (a directory still being made is not one).</summary>
    public IEnumerable<string> Ids() =>
        Directory.Exists(paths.ContainersDir)
            ? Directory.EnumerateDirectories(paths.ContainersDir).Select(Path.GetFileName).Cast<string>()
                .Where(name => name.Length == 64 && File.Exists(FileOf(name, RecordFile)))
            : [];

    public ContainerRecord? TryRead(string id) => Json.ReadFileIfExists<ContainerRecord>(FileOf(id, RecordFile));

    public void Write(ContainerRecord record) => Json.WriteFile(FileOf(record.Id, RecordFile), record);

    /// <summary>Every mutation of one container holds its lock.</summary>
    public FileLock Lock(string id) => FileLock.Acquire(LockFile(id));

    /// <summary>Taken by a start, under the container's lock, until its monitor has answered.</summary>
    public FileLock HoldStarting(string id) => FileLock.Acquire(FileOf(id, StartingLockFile));

    public void DeleteLockFile(string id) => File.Delete(LockFile(id));

    public string LockFile(string id) => Path.Combine(paths.LocksDir, $"{id}.lock");

    /// <summary>
    /// Where a container's directory goes, out of sight at once, to be deleted: in staging, so a
    /// crash half-way leaves only staging to clean. Named for this process, which may hand it
    /// to the container's monitor (auto-remove): once both are gone, so is the claim on it.
    /// </summary>
    public string RemovalStagingPath(string id) => Staging.PathFor(paths, $"removing-{id}");

    public string NameFile(string name) => Path.Combine(paths.NamesDir, name);

    /// <summary>The id holding name, if the claim is live (its container exists, or it is being made).</summary>
    public string? IdOfName(string name)
    {
        var file = Path.Combine(paths.NamesDir, name);
        string id;
        try
        {
            id = File.ReadAllText(file).Trim();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // no such name, or a store where no container was ever made
            return null;
        }
        return id.Length == 64 && Directory.Exists(Dir(id)) ? id : null;
    }

    /// <summary>
    /// Takes name for id, or fails with NameInUse. A claim whose container never came to
    /// exist (its creator died half-way) is taken over.
    /// </summary>
    /// <param name="durable">Flushed to disk before it takes the name (false: the caller flushes NameFile(name) before the container it names exists).</param>
    public void ClaimName(string name, string id, bool durable = true)
    {
        var file = Path.Combine(paths.NamesDir, name);
        for (var attempt = 0; attempt < 3; attempt++)
        {
            // written in staging: what a creator killed half-way leaves there is cleaned
            if (AtomicFile.TryCreate(file, System.Text.Encoding.ASCII.GetBytes(id), Staging.NewPath(paths, "-name"), durable))
                return;
            string holder;
            try
            {
                holder = File.ReadAllText(file).Trim();
            }
            catch (FileNotFoundException)
            {
                continue; // released meanwhile
            }
            if (holder.Length == 64 && (Directory.Exists(Dir(holder)) || StagedDirectoryExists(holder)))
                throw Errors.Errors.NameInUse(name, holder);
            // a stale claim: whoever made it died before its container existed
            using var nameLock = FileLock.Acquire(Path.Combine(paths.LocksDir, "names.lock"));
            if (File.Exists(file) && File.ReadAllText(file).Trim() == holder)
                File.Delete(file);
        }
        throw Errors.Errors.NameInUse(name, "");
    }

    public void ReleaseName(string name, string id)
    {
        var file = Path.Combine(paths.NamesDir, name);
        try
        {
            if (File.ReadAllText(file).Trim() == id)
                File.Delete(file);
        }
        catch (FileNotFoundException)
        {
        }
    }

    /// <summary>Where the console and attach sockets are: under the run root, which is short (the store root may be deep), for sun_path holds 108 bytes.</summary>
    public string ConsoleDirectory()
    {
        var dir = Path.Combine(paths.RunRoot, "console");
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Where a container is assembled before it is renamed into containers/.</summary>
    public string StagedDir(string id) => Staging.PathFor(paths, $"container-{id}");

    private bool StagedDirectoryExists(string id) => Staging.IsBeingStaged(paths, $"container-{id}");
}
