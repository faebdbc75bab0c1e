using Container.Runtime.Storage;

namespace Container.Runtime.Images;

/// <summary>
/// The image store: an OCI image layout (index.json names manifests; manifests,
/// configs and layers are blobs) plus the unpacked layers. Changes to the index are
/// made under one lock and written atomically, so concurrent sessions never lose one.
/// </summary>
public sealed class ImageStore
{
    private readonly StorePaths paths;

    public ImageStore(StorePaths paths)
    {
        this.paths = paths;
        Blobs = new BlobStore(paths);
        Layers = new LayerStore(paths);
    }

    internal BlobStore Blobs { get; }

    internal LayerStore Layers { get; }

    private string IndexPath => Path.Combine(paths.ImagesDir, "index.json");

    private string LockPath => Path.Combine(paths.LocksDir, "images.lock");

    public IReadOnlyList<ContainerImage> List()
    {
        var index = ReadIndex();
        var images = new List<ContainerImage>();
        foreach (var group in index.Manifests.GroupBy(d => d.Digest))
        {
            var names = group.Select(RefName).Where(n => n != null).Cast<string>().ToList();
            var (manifest, config) = ReadManifest(group.Key);
            if (names.Count == 0)
                images.Add(Describe(group.Key, manifest, config, null, names));
            foreach (var name in names)
                images.Add(Describe(group.Key, manifest, config, name, names));
        }
        return images;
    }

    /// <summary>
    /// Finds an image by name (busybox, busybox:1.36, docker.io/library/busybox), by id or
    /// id prefix (sha256:ab12..., ab12...), or by manifest digest.
    /// </summary>
    public ContainerImage? Find(string reference)
    {
        var all = List();
        if (ImageReference.TryParse(reference, out var parsed, out _))
        {
            var full = parsed.ToString();
            var byName = all.FirstOrDefault(i => i.Reference == full);
            if (byName != null)
                return byName;
            if (parsed.Digest != null)
                return all.FirstOrDefault(i => i.Digest == parsed.Digest);
        }
        var hex = reference.StartsWith("sha256:", StringComparison.Ordinal) ? reference["sha256:".Length..] : reference;
        if (hex.Length >= 4 && Ids.IsHex(hex))
        {
            var ids = all.Where(i => i.Id[7..].StartsWith(hex, StringComparison.Ordinal) || i.Digest[7..].StartsWith(hex, StringComparison.Ordinal))
                .Select(i => i.Id).Distinct().ToList();
            if (ids.Count == 1)
                return all.First(i => i.Id == ids[0]);
        }
        return null;
    }

    public ContainerImage Get(string reference) => Find(reference) ?? throw Errors.Errors.ImageNotFound(reference);

    /// <summary>
    /// The images a name or wildcard pattern stands for. A pattern is matched against the
    /// familiar name (busybox:latest), the repository, and the full reference; one that
    /// matches nothing yields nothing, a literal name that matches nothing is ImageNotFound.
    /// </summary>
    public IReadOnlyList<ContainerImage> Select(string nameOrPattern)
    {
        if (!Text.Wildcard.IsPattern(nameOrPattern))
            return [Get(Text.Wildcard.Unescape(nameOrPattern))];
        var pattern = Text.Wildcard.Parse(nameOrPattern);
        return List().Where(i => i.Reference != null
                                 && (pattern.IsMatch(i.ToString()) || pattern.IsMatch(i.Repository) || pattern.IsMatch(i.Reference)))
            .ToList();
    }

    /// <summary>The unpacked directory of a layer (an overlay lower dir).</summary>
    public string LayerDirectory(string diffId) => Layers.ContentDir(diffId);

    /// <summary>
    /// Makes a one-layer image of a root filesystem directory (as docker import does),
    /// named name, with defaults for the containers made from it.
    /// </summary>
    public ContainerImage ImportRootfsDirectory(string directory, ImageReference name, ContainerConfig? defaults)
    {
        if (!Directory.Exists(directory))
            throw Errors.Errors.PathNotFound(directory);
        paths.EnsureCreated();
        var staged = Staging.NewPath(paths, ".tar");
        try
        {
            Descriptor layer;
            using (var file = new FileStream(staged, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16))
            {
                RootfsArchive.Write(directory, file);
                file.Flush(flushToDisk: true);
                file.Position = 0;
                layer = Blobs.Write(file, MediaTypes.OciLayer);
            }
            return CreateImage([layer], [layer.Digest], name, defaults, $"import {directory}");
        }
        finally
        {
            File.Delete(staged);
        }
    }

    /// <summary>
    /// Writes config and manifest for layers already in the blob store (diff ids bottom
    /// first), unpacks the layers, and names the result.
    /// </summary>
    internal ContainerImage CreateImage(IReadOnlyList<Descriptor> layers, IReadOnlyList<string> diffIds, ImageReference name,
        ContainerConfig? defaults, string createdBy)
    {
        for (var i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            Layers.EnsureUnpacked(diffIds[i], () => Compression.OpenUncompressed(Blobs.Open(layer.Digest), layer.MediaType));
        }
        var now = DateTimeOffset.UtcNow.ToString("o");
        var config = new ImageConfig
        {
            Created = now,
            Config = defaults ?? new ContainerConfig(),
            RootFs = new RootFsConfig { DiffIds = [.. diffIds] },
            History = [new HistoryEntry { Created = now, CreatedBy = createdBy }],
        };
        var configDescriptor = Blobs.WriteJson(config, MediaTypes.OciConfig);
        var manifest = new ImageManifest { Config = configDescriptor, Layers = [.. layers] };
        var manifestDescriptor = Blobs.WriteJson(manifest, MediaTypes.OciManifest);
        Tag(manifestDescriptor, name);
        return Get(name.ToString());
    }

    /// <summary>Points name at the manifest, taking it from any image that had it.</summary>
    internal void Tag(Descriptor manifest, ImageReference name)
    {
        var full = name.ToString();
        UpdateIndex(index =>
        {
            index.Manifests.RemoveAll(d => RefName(d) == full);
            index.Manifests.Add(new Descriptor
            {
                MediaType = manifest.MediaType,
                Digest = manifest.Digest,
                Size = manifest.Size,
                Annotations = new Dictionary<string, string> { [Annotations.RefName] = full },
            });
        });
    }

    private void UpdateIndex(Action<ImageIndex> change)
    {
        paths.EnsureCreated();
        using var _ = FileLock.Acquire(LockPath);
        var index = ReadIndex();
        change(index);
        Json.WriteFile(IndexPath, index);
    }

    private ImageIndex ReadIndex() => Json.ReadFileIfExists<ImageIndex>(IndexPath) ?? new ImageIndex();

    private (ImageManifest, ImageConfig) ReadManifest(string digest)
    {
        var manifest = Json.Deserialize<ImageManifest>(Blobs.ReadAllBytes(digest));
        var config = Json.Deserialize<ImageConfig>(Blobs.ReadAllBytes(manifest.Config.Digest));
        return (manifest, config);
    }

    private ContainerImage Describe(string manifestDigest, ImageManifest manifest, ImageConfig config, string? name, List<string> names)
    {
        var reference = name != null ? ImageReference.Parse(name) : null;
        return new ContainerImage
        {
            Id = manifest.Config.Digest,
            Repository = reference?.FamiliarRepository ?? ContainerImage.None,
            Tag = reference?.Tag ?? ContainerImage.None,
            Reference = name,
            Names = names,
            Digest = manifestDigest,
            Created = DateTimeOffset.TryParse(config.Created, out var created) ? created : null,
            Size = config.RootFs.DiffIds.Sum(Layers.Size),
            Layers = config.RootFs.DiffIds,
            Config = config,
        };
    }

    private static string? RefName(Descriptor d) => d.Annotations?.GetValueOrDefault(Annotations.RefName);
}
