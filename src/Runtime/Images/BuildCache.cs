using System.Security.Cryptography;
using System.Text;
using Container.Runtime.Storage;

namespace Container.Runtime.Images;

/// <summary>
/// What a build step that made a layer (RUN, COPY, ADD) left, under the key docker's cache
/// would find it by: the layer, in the image store's blobs and layers, which the collector
/// keeps while an entry names it. An entry is one file, written atomically; two sessions
/// building the same step write the same layer, and the last entry stands.
/// </summary>
internal sealed class BuildCache(StorePaths paths, BlobStore blobs, LayerStore layers)
{
    private string Dir => Path.Combine(paths.ImagesDir, "build-cache");

    /// <summary>Where RUN --mount=type=cache keeps its directories, by id: they outlive every build, and enter no layer.</summary>
    public string MountsDirectory => Path.Combine(Dir, "mounts");

    /// <summary>What a layer made apart from the state before it (COPY --link) is keyed from, in that state's place.</summary>
    public const string LinkedParent = "linked";

    /// <summary>The key of a step: the key of the state it starts from, and what the step is (its instruction expanded, the checksum of what it copies).</summary>
    public static string KeyOf(string parentKey, string step) =>
        "sha256:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(parentKey + "\n" + step))).ToLowerInvariant();

    /// <summary>The entry under key, if there is one and its layer is still in the store.</summary>
    public BuildCacheEntry? Find(string key)
    {
        var entry = Read(PathOf(key));
        return entry != null && blobs.Exists(entry.Layer.Digest) && layers.Exists(entry.DiffId) ? entry : null;
    }

    /// <summary>Stores the entry, and notes it as the last step made from its parent state (what the next miss there is told against).</summary>
    public void Store(BuildCacheEntry entry)
    {
        Directory.CreateDirectory(Dir);
        Json.WriteFile(PathOf(entry.Key), entry);
        Storage.AtomicFile.WriteAllText(LastPathOf(entry.ParentKey), entry.Key);
    }

    /// <summary>The last step made from a state, if its entry is still there: a step that misses now changed from it.</summary>
    public BuildCacheEntry? LastFrom(string parentKey) =>
        File.Exists(LastPathOf(parentKey)) ? Read(PathOf(File.ReadAllText(LastPathOf(parentKey)).Trim())) : null;

    /// <summary>Every entry, for the collector (which keeps their blobs and layers).</summary>
    public IEnumerable<BuildCacheEntry> All() =>
        Directory.Exists(Dir)
            ? Directory.EnumerateFiles(Dir, "*.json").Select(Read).OfType<BuildCacheEntry>()
            : [];

    /// <summary>
    /// Forgets every entry, and unless kept, removes the cache mounts' directories (docker
    /// builder prune): the entries forgotten, how many mounts went and the bytes they held.
    /// The layers go at the next collection, but for those an image uses.
    /// </summary>
    public (IReadOnlyList<BuildCacheEntry> Entries, int Mounts, long MountBytes) Clear(bool keepMounts)
    {
        if (!Directory.Exists(Dir))
            return ([], 0, 0);
        var entries = All().ToList();
        foreach (var file in Directory.EnumerateFiles(Dir))
            File.Delete(file);
        if (keepMounts || !Directory.Exists(MountsDirectory))
            return (entries, 0, 0);
        var mounts = Directory.EnumerateDirectories(MountsDirectory).Count();
        var bytes = DirectorySize.Of(MountsDirectory);
        // moved aside first: a build never finds a cache mount half removed
        var gone = Staging.NewPath(paths, "-cache-mounts");
        Directory.Move(MountsDirectory, gone);
        Directory.Delete(gone, recursive: true);
        return (entries, mounts, bytes);
    }

    /// <summary>An entry; one that cannot be read is none: the cache is what the next build may do without, never a failure.</summary>
    private static BuildCacheEntry? Read(string path)
    {
        try
        {
            return Json.ReadFileIfExists<BuildCacheEntry>(path);
        }
        catch (Errors.ContainerException e) when (e.ErrorId == "StoreCorrupt")
        {
            return null;
        }
    }

    private string PathOf(string key) => Path.Combine(Dir, key["sha256:".Length..] + ".json");

    private string LastPathOf(string parentKey) => Path.Combine(Dir, KeyOf(parentKey, "")["sha256:".Length..] + ".last");
}

/// <summary>A cached step's layer: its blob (as a manifest lists it), its diff id, and the history line it had; the state it was made from and what it was (its key's parts).</summary>
public sealed class BuildCacheEntry
{
    public required string Key { get; init; }

    public required string ParentKey { get; init; }

    /// <summary>The step as its key holds it, a line a part (the instruction, each ARG, each file copied with its checksum).</summary>
    public required string Step { get; init; }

    public required Descriptor Layer { get; init; }

    public required string DiffId { get; init; }

    public required string CreatedBy { get; init; }

    public DateTimeOffset Created { get; init; }
}
