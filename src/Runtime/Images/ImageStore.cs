using Container.Runtime.Storage;

namespace Container.Runtime.Images;

/// <summary>
/// An image's use by a container: removing the image must not pull its layers from under it.
/// IsRunning is asked only when it matters (it looks at the container's process). ShiftKey
/// names the id-shifted copies of its layers that a container in a user namespace runs on.
/// </summary>
public sealed record ImageUse(string ContainerName, string ImageId, IReadOnlyList<string> Layers, Func<bool> IsRunning, string? ShiftKey = null);

/// <summary>
/// The image store: an OCI image layout (index.json names manifests; manifests, configs
/// and layers are blobs) plus the unpacked layers. Changes to the index are made under one
/// lock and written atomically, so concurrent sessions never lose one. Garbage (blobs and
/// layers nothing names) is collected only when no import or container creation is in
/// flight: those hold the collection lock shared, the collector exclusively.
/// </summary>
public sealed class ImageStore
{
    private readonly StorePaths paths;
    private readonly Func<IEnumerable<ImageUse>> usage;
    private readonly ImageCatalog catalog;

    public ImageStore(StorePaths paths, Func<IEnumerable<ImageUse>> usage)
    {
        this.paths = paths;
        this.usage = usage;
        Blobs = new BlobStore(paths);
        Layers = new LayerStore(paths);
        Shifted = new ShiftedLayers(paths, Layers);
        BuildCache = new BuildCache(paths, Blobs, Layers);
        catalog = new ImageCatalog(IndexPath, Blobs, Layers);
    }

    internal BlobStore Blobs { get; }

    internal LayerStore Layers { get; }

    /// <summary>Id-shifted copies of the layers, for containers in a user namespace.</summary>
    internal ShiftedLayers Shifted { get; }

    /// <summary>The layers build steps made, by their cache keys.</summary>
    internal BuildCache BuildCache { get; }

    internal StorePaths Paths => paths;

    private string IndexPath => Path.Combine(paths.ImagesDir, "index.json");

    private string IndexLockPath => Path.Combine(paths.LocksDir, "images.lock");

    private string CollectionLockPath => Path.Combine(paths.LocksDir, "gc.lock");

    /// <summary>Every image, one object per name (as docker images has one row per tag).</summary>
    public IReadOnlyList<ContainerImage> List() => catalog.All();

    /// <summary>
    /// Finds an image by name (busybox, busybox:1.36, docker.io/library/busybox), by id or id
    /// prefix (sha256:ab12..., ab12...), or by manifest digest, reading only what that takes.
    /// </summary>
    public ContainerImage? Find(string reference) => catalog.Find(reference);

    public ContainerImage Get(string reference) => Find(reference) ?? throw Errors.Errors.ImageNotFound(reference);

    /// <summary>The images a name or wildcard pattern stands for (see <see cref="SelectTargets"/>).</summary>
    public IReadOnlyList<ContainerImage> Select(string nameOrPattern) => SelectTargets(nameOrPattern).Select(t => t.Image).ToList();

    /// <summary>
    /// The images a name, id or wildcard pattern stands for, each with the reference to act on
    /// it by: a literal reference as it was typed (a name stands for that name, an id for the
    /// image with all its names), a pattern's matches by their names. A pattern is matched
    /// against the familiar name (busybox:latest), the repository, and the full reference;
    /// one that matches nothing yields nothing, a literal that matches nothing is ImageNotFound.
    /// </summary>
    public IReadOnlyList<ImageTarget> SelectTargets(string referenceOrPattern)
    {
        if (!Text.Wildcard.IsPattern(referenceOrPattern))
            return [Target(Text.Wildcard.Unescape(referenceOrPattern))];
        var pattern = Text.Wildcard.Parse(referenceOrPattern);
        return List().Where(i => i.Reference != null
                                 && (pattern.IsMatch(i.ToString()) || pattern.IsMatch(i.Repository) || pattern.IsMatch(i.Reference)))
            .Select(i => new ImageTarget(i, i.Reference!))
            .ToList();
    }

    /// <summary>What an image object stands for: the name it shows, or the image when it has none.</summary>
    public ImageTarget TargetOf(ContainerImage image) => Target(image.Reference ?? image.Id);

    /// <summary>The unpacked directory of a layer (an overlay lower dir).</summary>
    public string LayerDirectory(string diffId) => Layers.ContentDir(diffId);

    /// <summary>An empty directory: the lower layer of a container whose image has none (FROM scratch), as an overlay needs one. Outside the layers, so no collection takes it.</summary>
    internal string EmptyLayerDirectory() => Directory.CreateDirectory(Path.Combine(paths.ImagesDir, "empty-layer")).FullName;

    /// <summary>Gives image another name (docker tag); a name another image had moves here.</summary>
    public ContainerImage Tag(string reference, ImageReference name)
    {
        var image = Get(reference);
        Tag(new Descriptor { MediaType = MediaTypes.OciManifest, Digest = image.Digest, Size = Blobs.Size(image.Digest) }, name);
        return Get(name.ToString());
    }

    /// <summary>
    /// Removes a name, or with an id every name, as docker rmi does; the image goes with its
    /// last name, its blobs and layers when nothing else needs them. An id with several names
    /// needs force. So does an image a container uses: forced, it goes, and its containers keep
    /// its layers; but one a running container uses stays (without the name asked), as docker
    /// keeps it, and asked for by id it is refused.
    /// </summary>
    public void Remove(string reference, bool force)
    {
        paths.EnsureCreated();
        using var collection = FileLock.Acquire(CollectionLockPath);
        var image = Get(reference);
        var byName = ImageReference.TryParse(reference, out var parsed, out _) && parsed == image.Name;
        if (!byName && image.Names.Count > 1 && !force)
            throw Errors.Errors.InvalidArgument("ImageHasSeveralNames",
                $"Image {image.ShortId} has several names ({string.Join(", ", image.Names)}): remove them one by one, or use -Force.", reference);
        var lastName = !byName || image.Names.Count == 1;
        var users = lastName ? usage().Where(u => u.ImageId == image.Id).ToList() : [];
        if (users.Count > 0 && !force)
            throw Errors.Errors.ImageInUse(reference, users.Select(u => u.ContainerName).ToList());
        var running = users.Where(u => u.IsRunning()).Select(u => u.ContainerName).ToList();
        if (running.Count > 0 && !byName)
            throw Errors.Errors.ImageInUseByRunningContainer(reference, running);
        HashSet<string> removed = byName ? [image.Reference!] : [.. image.Names];
        UpdateIndex(index =>
        {
            index.Manifests.RemoveAll(d => d.Digest == image.Digest && (ImageCatalog.RefName(d) is not { } name || removed.Contains(name)));
            // a running container's image stays, nameless, until the container goes
            if (running.Count > 0 && !index.Manifests.Any(d => d.Digest == image.Digest))
                index.Manifests.Add(new Descriptor { MediaType = MediaTypes.OciManifest, Digest = image.Digest, Size = Blobs.Size(image.Digest) });
        });
        CollectGarbageLocked();
    }

    /// <summary>Removes blobs and layers that nothing names, when no import or creation is in flight.</summary>
    public void CollectGarbage()
    {
        if (!Directory.Exists(paths.LocksDir))
            return; // no store yet, so no garbage
        using var collection = FileLock.TryAcquire(CollectionLockPath);
        if (collection != null)
            CollectGarbageLocked();
    }

    /// <summary>
    /// Held (shared) by every import and container creation, so the collector never takes the
    /// blobs and layers they are about to name.
    /// </summary>
    internal FileLock HoldAgainstCollection()
    {
        paths.EnsureCreated();
        return FileLock.Acquire(CollectionLockPath, shared: true);
    }

    private void CollectGarbageLocked()
    {
        var uses = usage().ToList();
        // a nameless image stays in the index only while a container uses it, or when it is kept
        var usedImages = uses.Select(u => u.ImageId).ToHashSet();
        ImageIndex index = null!;
        UpdateIndex(current =>
        {
            current.Manifests.RemoveAll(d => ImageCatalog.RefName(d) == null && d.Annotations?.ContainsKey(Annotations.Kept) != true && !usedImages.Contains(ReadManifest(d.Digest).Manifest.Config.Digest));
            index = current;
        });
        var blobs = new HashSet<string>();
        var layers = new HashSet<string>();
        foreach (var digest in index.Manifests.Select(d => d.Digest).Distinct())
        {
            var (manifest, config) = ReadManifest(digest);
            blobs.Add(digest);
            blobs.Add(manifest.Config.Digest);
            blobs.UnionWith(manifest.Layers.Select(l => l.Digest));
            layers.UnionWith(config.RootFs.DiffIds);
        }
        foreach (var use in uses)
            layers.UnionWith(use.Layers);
        foreach (var cached in BuildCache.All())
        {
            blobs.Add(cached.Layer.Digest);
            layers.Add(cached.DiffId);
        }
        foreach (var blob in Blobs.All().Where(b => !blobs.Contains(b)))
            Blobs.Delete(blob);
        foreach (var layer in Layers.All().Where(l => !layers.Contains(l)))
            Layers.Delete(layer);
        Shifted.CollectUnused(uses.Where(u => u.ShiftKey != null).SelectMany(u => u.Layers.Select(l => (l, u.ShiftKey!))).ToHashSet());
    }

    /// <summary>
    /// Writes config and manifest for layers already in the blob store (bottom first), unpacks
    /// the layers, and names the result.
    /// </summary>
    internal ContainerImage CreateImage(IReadOnlyList<Descriptor> layers, ImageConfig config, ImageReference name)
    {
        var manifest = WriteManifest(layers, config);
        Tag(manifest, name);
        return Get(name.ToString());
    }

    /// <summary>
    /// The same, the image left nameless: it stays while a container uses it (a build step's),
    /// or, kept, until it is removed by id (docker's untagged build result). The caller holds
    /// <see cref="HoldAgainstCollection"/> until a container uses it.
    /// </summary>
    internal ContainerImage CreateNamelessImage(IReadOnlyList<Descriptor> layers, ImageConfig config, bool kept)
    {
        var manifest = WriteManifest(layers, config);
        UpdateIndex(index =>
        {
            if (!index.Manifests.Any(d => d.Digest == manifest.Digest))
                index.Manifests.Add(new Descriptor
                {
                    MediaType = manifest.MediaType,
                    Digest = manifest.Digest,
                    Size = manifest.Size,
                    Annotations = kept ? new Dictionary<string, string> { [Annotations.Kept] = "true" } : null,
                });
        });
        return Get(manifest.Digest);
    }

    private Descriptor WriteManifest(IReadOnlyList<Descriptor> layers, ImageConfig config)
    {
        var configDescriptor = Blobs.WriteJson(config, MediaTypes.OciConfig);
        var manifest = Blobs.WriteJson(new ImageManifest { Config = configDescriptor, Layers = [.. layers] }, MediaTypes.OciManifest);
        Unpack(manifest.Digest);
        return manifest;
    }

    /// <summary>A directory as a new (uncompressed) layer blob, whose digest is its diff id.</summary>
    internal Descriptor WriteLayer(string directory, bool fromOverlayUpper, OwnerMap? owners = null, ArchiveSelection? selection = null)
    {
        var staged = Staging.NewPath(paths, ".tar");
        try
        {
            using var file = new FileStream(staged, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16);
            LayerArchive.Write(directory, file, selection, fromOverlayUpper, owners);
            file.Position = 0;
            return Blobs.Write(file, MediaTypes.OciLayer);
        }
        finally
        {
            File.Delete(staged);
        }
    }

    /// <summary>Unpacks a layer of the blob store (an uncompressed one, whose digest is its diff id) unless it is: a build step's, which the next step reads.</summary>
    internal void EnsureUnpacked(Descriptor layer) =>
        Layers.EnsureUnpacked(layer.Digest, layer.Digest, () => Compression.OpenUncompressed(Blobs.Open(layer.Digest), layer.MediaType));

    /// <summary>Unpacks every layer of a manifest (in parallel), checking each against its diff id.</summary>
    internal void Unpack(string manifestDigest, IProgress<ImportProgress>? progress = null)
    {
        var (manifest, config) = ReadLayeredManifest(manifestDigest);
        var done = 0;
        try
        {
            Parallel.For(0, manifest.Layers.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
            {
                UnpackLayer(manifest, config, i);
                progress?.Report(new ImportProgress("Unpacking layers", Interlocked.Increment(ref done), manifest.Layers.Count));
            });
        }
        catch (AggregateException e)
        {
            // a layer's own error (InvalidLayer, DigestMismatch), as one unpacked after the other would have thrown it
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }
    }

    /// <summary>A manifest and its config (both in the blob store), refused unless they count the same layers.</summary>
    internal (ImageManifest Manifest, ImageConfig Config) ReadLayeredManifest(string manifestDigest)
    {
        var (manifest, config) = ReadManifest(manifestDigest);
        if (manifest.Layers.Count != config.RootFs.DiffIds.Count)
            throw Errors.Errors.InvalidArgument("InvalidImage",
                $"Image {manifest.Config.Digest} has {manifest.Layers.Count} layers but its config lists {config.RootFs.DiffIds.Count}.", manifestDigest);
        return (manifest, config);
    }

    /// <summary>Unpacks a manifest's layer (its blob in the store) unless it is, checking it against its diff id.</summary>
    internal void UnpackLayer(ImageManifest manifest, ImageConfig config, int index)
    {
        var layer = manifest.Layers[index];
        Layers.EnsureUnpacked(config.RootFs.DiffIds[index], layer.Digest, () => Compression.OpenUncompressed(Blobs.Open(layer.Digest), layer.MediaType));
    }

    /// <summary>Points name at the manifest, taking it from any image that had it.</summary>
    internal void Tag(Descriptor manifest, ImageReference name)
    {
        var full = name.ToString();
        UpdateIndex(index =>
        {
            var left = index.Manifests.Where(d => ImageCatalog.RefName(d) == full && d.Digest != manifest.Digest).ToList();
            index.Manifests.RemoveAll(d => ImageCatalog.RefName(d) == full || (d.Digest == manifest.Digest && ImageCatalog.RefName(d) == null));
            // the image the name leaves stays, nameless if that was its last (docker's dangling image)
            foreach (var image in left.Where(l => !index.Manifests.Any(d => d.Digest == l.Digest)))
                index.Manifests.Add(new Descriptor { MediaType = image.MediaType, Digest = image.Digest, Size = image.Size });
            index.Manifests.Add(new Descriptor
            {
                MediaType = manifest.MediaType,
                Digest = manifest.Digest,
                Size = manifest.Size,
                Annotations = new Dictionary<string, string> { [Annotations.RefName] = full },
            });
        });
    }

    internal (ImageManifest Manifest, ImageConfig Config) ReadManifest(string digest) => catalog.ReadManifest(digest);

    private void UpdateIndex(Action<ImageIndex> change)
    {
        paths.EnsureCreated();
        using var _ = FileLock.Acquire(IndexLockPath);
        var index = catalog.ReadIndex();
        change(index);
        Json.WriteFile(IndexPath, index);
    }

    private ImageTarget Target(string reference) => new(Get(reference), reference);
}
