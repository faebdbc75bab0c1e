using System.Text.Json;
using Container.Runtime.Images.Formats;
using Container.Runtime.Storage;

namespace Container.Runtime.Images;

/// <summary>
/// Every way into the store: a docker save archive, an OCI archive or layout directory (as
/// skopeo writes them), a plain root filesystem tarball or directory (one layer). Blobs are
/// verified as they enter; the images are named only once all their layers are unpacked, so
/// an import killed half-way leaves nothing visible, and its leftovers go with the next
/// collection.
/// </summary>
public sealed class ImageImporter(ImageStore store)
{
    /// <param name="name">
    /// Required for a root filesystem; for an archive it replaces the names the archive gives
    /// (and then the archive must hold one image).
    /// </param>
    public IReadOnlyList<ContainerImage> Import(string path, ImageReference? name, ContainerConfig? defaults,
        IProgress<ImportProgress>? progress = null, CancellationToken cancellation = default)
    {
        path = Path.GetFullPath(path);
        store.CollectGarbage(); // what an import killed earlier left
        using var hold = store.HoldAgainstCollection();
        using var source = ImageSource.Open(path, store.Paths, progress);
        try
        {
            if (OciLayout.Matches(source))
                return UnpackAndName(OciLayout.Read(source, store.Blobs), path, name, progress, cancellation);
            if (DockerArchive.Matches(source))
                return UnpackAndName(DockerArchive.Read(source, store.Blobs), path, name, progress, cancellation);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            throw Errors.Errors.InvalidImageArchive($"'{path}' is not a valid image archive: {e.Message}", path, e);
        }
        return [ImportRootfs(path, source is DirectorySource, name ?? throw Errors.Errors.ImageNameRequired(path), defaults, progress, cancellation)];
    }

    /// <summary>Unpacks the images an archive held, then names them: as the archive does, or as asked.</summary>
    private List<ContainerImage> UnpackAndName(List<ArchivedImage> images, string path, ImageReference? name,
        IProgress<ImportProgress>? progress, CancellationToken cancellation)
    {
        if (images.Count == 0)
            throw Errors.Errors.InvalidImageArchive($"'{path}' holds no image.", path);
        if (name != null && images.Count != 1)
            throw Errors.Errors.InvalidArgument("SeveralImagesOneName", $"'{path}' holds {images.Count} images: -Name names one.", path);
        var imported = new List<ContainerImage>();
        foreach (var image in images)
        {
            cancellation.ThrowIfCancellationRequested();
            var names = name != null ? [name.ToString()] : image.Names;
            if (names.Count == 0)
                throw Errors.Errors.ImageNameRequired(path);
            store.Unpack(image.Manifest.Digest, progress);
            foreach (var each in names)
                store.Tag(image.Manifest, ImageReference.Parse(each));
            imported.Add(store.Get(names[0]));
        }
        return imported;
    }

    /// <summary>A root filesystem (a directory, or a tarball, maybe gzip'd) as a one-layer image, as docker import makes it.</summary>
    private ContainerImage ImportRootfs(string path, bool isDirectory, ImageReference name, ContainerConfig? defaults,
        IProgress<ImportProgress>? progress, CancellationToken cancellation)
    {
        Descriptor layer;
        if (isDirectory)
            layer = store.WriteLayer(path, fromOverlayUpper: false);
        else
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            var mediaType = Compression.IsGzip(file) ? MediaTypes.OciLayerGzip : MediaTypes.OciLayer;
            var measured = new ProgressStream(file, "Reading", progress, cancellation);
            layer = store.Blobs.Write(measured, mediaType);
        }
        string diffId;
        using (var uncompressed = Compression.OpenUncompressed(store.Blobs.Open(layer.Digest), layer.MediaType))
        using (var hashing = new HashingStream(uncompressed))
        {
            hashing.CopyTo(Stream.Null);
            diffId = hashing.Digest;
        }
        var now = DateTimeOffset.UtcNow;
        var config = new ImageConfig
        {
            Created = now,
            Config = defaults ?? new ContainerConfig(),
            RootFs = new RootFsConfig { DiffIds = [diffId] },
            History = [new HistoryEntry { Created = now, CreatedBy = $"import {Path.GetFileName(path)}" }],
        };
        return store.CreateImage([layer], config, name);
    }
}

/// <summary>Reports progress as a stream is read (for inputs whose copy is one call).</summary>
internal sealed class ProgressStream(FileStream inner, string activity, IProgress<ImportProgress>? progress, CancellationToken cancellation) : Storage.ReadOnlyStream
{
    private long lastReport;

    public override long Length => inner.Length;
    public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

    public override int Read(Span<byte> buffer)
    {
        cancellation.ThrowIfCancellationRequested();
        var n = inner.Read(buffer);
        if (progress != null && inner.Position - lastReport > 1 << 22)
        {
            lastReport = inner.Position;
            progress.Report(new ImportProgress(activity, lastReport, inner.Length));
        }
        return n;
    }
}
