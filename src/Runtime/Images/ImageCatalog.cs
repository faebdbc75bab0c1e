namespace Container.Runtime.Images;

/// <summary>A manifest the index names, with its names there (full references, in the index's order).</summary>
internal sealed record IndexedManifest(string Digest, IReadOnlyList<string> Names);

/// <summary>
/// The images the index names, read as far as a question needs: a listing reads every image;
/// a name or a digest goes from the index straight to its one image; an id (a config digest,
/// which only the manifests name) reads the manifests, but no config or layer but its own.
/// Reads take no lock: the index is replaced whole, and an image removed since it was read
/// is skipped.
/// </summary>
internal sealed class ImageCatalog(string indexPath, BlobStore blobs, LayerStore layers)
{
    /// <summary>The shortest id prefix a lookup takes, as docker does.</summary>
    private const int ShortestIdPrefix = 4;

    public ImageIndex ReadIndex() => Json.ReadFileIfExists<ImageIndex>(indexPath) ?? new ImageIndex();

    /// <summary>Every image, one object per name (a nameless image once).</summary>
    public IReadOnlyList<ContainerImage> All()
    {
        var images = new List<ContainerImage>();
        foreach (var entry in Manifests())
        {
            if (TryRead<ImageManifest>(entry.Digest) is not { } manifest || TryRead<ImageConfig>(manifest.Config.Digest) is not { } config)
                continue;
            if (entry.Names.Count == 0)
                images.Add(Describe(entry, manifest, config, null));
            foreach (var name in entry.Names)
                images.Add(Describe(entry, manifest, config, ImageReference.Parse(name)));
        }
        return images;
    }

    /// <summary>
    /// An image by name (busybox, busybox:1.36, docker.io/library/busybox), by id or id prefix
    /// (sha256:ab12..., ab12...), or by manifest digest (name@sha256:..., or its prefix).
    /// Found by id or digest, it is the object of its first name.
    /// </summary>
    public ContainerImage? Find(string reference)
    {
        var entries = Manifests();
        if (ImageReference.TryParse(reference, out var parsed, out _))
        {
            var full = parsed.ToString();
            if (entries.FirstOrDefault(e => e.Names.Contains(full)) is { } named && Load(named, parsed) is { } byName)
                return byName;
            if (parsed.Digest != null)
                return entries.FirstOrDefault(e => e.Digest == parsed.Digest) is { } byDigest ? Load(byDigest, FirstName(byDigest)) : null;
        }
        var hex = Ids.Hex(reference);
        if (hex.Length < ShortestIdPrefix || !Ids.IsHex(hex))
            return null;
        var matches = entries
            .Select(entry => (Entry: entry, Manifest: TryRead<ImageManifest>(entry.Digest)))
            .Where(m => m.Manifest != null && (Ids.Hex(m.Manifest.Config.Digest).StartsWith(hex, StringComparison.Ordinal)
                                               || Ids.Hex(m.Entry.Digest).StartsWith(hex, StringComparison.Ordinal)))
            .ToList();
        // a prefix of two images' ids stands for neither
        if (matches.Select(m => m.Manifest!.Config.Digest).Distinct().Count() != 1)
            return null;
        return matches.Select(m => Load(m.Entry, FirstName(m.Entry), m.Manifest)).FirstOrDefault(i => i != null);
    }

    internal (ImageManifest Manifest, ImageConfig Config) ReadManifest(string digest)
    {
        var manifest = Read<ImageManifest>(digest);
        return (manifest, Read<ImageConfig>(manifest.Config.Digest));
    }

    internal static string? RefName(Descriptor d) => d.Annotations?.GetValueOrDefault(Annotations.RefName);

    private List<IndexedManifest> Manifests() =>
        ReadIndex().Manifests.GroupBy(d => d.Digest)
            .Select(g => new IndexedManifest(g.Key, g.Select(RefName).OfType<string>().ToList()))
            .ToList();

    /// <summary>The image's object for one of its names; null when it was removed since the index was read.</summary>
    private ContainerImage? Load(IndexedManifest entry, ImageReference? name, ImageManifest? manifest = null)
    {
        manifest ??= TryRead<ImageManifest>(entry.Digest);
        return manifest != null && TryRead<ImageConfig>(manifest.Config.Digest) is { } config ? Describe(entry, manifest, config, name) : null;
    }

    private ContainerImage Describe(IndexedManifest entry, ImageManifest manifest, ImageConfig config, ImageReference? name) => new()
    {
        Id = manifest.Config.Digest,
        Name = name,
        Names = entry.Names,
        Digest = entry.Digest,
        Created = config.Created,
        Size = SizeOf(config.RootFs.DiffIds),
        Layers = config.RootFs.DiffIds,
        Config = config,
    };

    /// <summary>A loop, not Sum: LINQ's Sum over long is generic code JIT-compiled at a new session's first container.</summary>
    private long SizeOf(List<string> diffIds)
    {
        long size = 0;
        foreach (var diffId in diffIds)
            size += layers.Size(diffId);
        return size;
    }

    private static ImageReference? FirstName(IndexedManifest entry) => entry.Names.Count > 0 ? ImageReference.Parse(entry.Names[0]) : null;

    private T Read<T>(string digest) => Json.Deserialize<T>(blobs.ReadAllBytes(digest));

    private T? TryRead<T>(string digest) where T : class
    {
        try
        {
            return Read<T>(digest);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }
}
