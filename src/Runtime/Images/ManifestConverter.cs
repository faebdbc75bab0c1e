using Container.Runtime.Storage;

namespace Container.Runtime.Images;

/// <summary>An image manifest as it is to be pushed: its bytes, media type and digest, and what it says.</summary>
internal sealed record ConvertedManifest(byte[] Content, string MediaType, string Digest, ImageManifest Manifest);

/// <summary>
/// Rewrites an image's manifest in another format (Docker schema 2 and OCI media types for the
/// manifest, config and layers) and its layers in another compression, as skopeo copy --format
/// and --dest-compress-format do. A layer re-compressed is streamed from its blob into a new
/// one (so its digest changes); the config, whose diff_ids are of the uncompressed tars, stays.
/// The new blobs and manifest go into the blob store, where collection takes them once nothing
/// names them. An image that needs no change keeps its manifest's bytes.
/// </summary>
internal sealed class ManifestConverter(ImageStore images)
{
    public ConvertedManifest Convert(string manifestDigest, ImageConversion wanted, IProgress<ImportProgress>? progress = null,
        CancellationToken cancellation = default)
    {
        var content = images.Blobs.ReadAllBytes(manifestDigest);
        var (manifest, config) = images.ReadLayeredManifest(manifestDigest);
        // nothing asked: the manifest goes as it is, its digest the one the store knows
        if (wanted == ImageConversion.None)
            return new ConvertedManifest(content, manifest.MediaType ?? MediaTypes.OciManifest, manifestDigest, manifest);
        var own = manifest.MediaType == MediaTypes.DockerManifest ? ManifestFormat.Docker : ManifestFormat.Oci;
        // Docker schema 2 has no zstd layers: zstd makes an OCI image unless Docker was asked for (as podman push does)
        var format = wanted.Format ?? (wanted.Compression == LayerCompression.Zstd ? ManifestFormat.Oci : own);
        if (format == ManifestFormat.Docker && wanted.Compression == LayerCompression.Zstd)
            throw ZstdNeedsOci(manifestDigest);

        var layers = new Descriptor[manifest.Layers.Count];
        var done = 0;
        // re-compression is what takes time; a change of media types alone is not reported
        progress = wanted.Compression != null ? progress : null;
        progress?.Report(new ImportProgress("Compressing layers", 0, layers.Length));
        try
        {
            Parallel.For(0, layers.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellation }, i =>
            {
                layers[i] = ConvertLayer(manifest.Layers[i], config.RootFs.DiffIds[i], format, wanted.Compression, manifestDigest, cancellation);
                progress?.Report(new ImportProgress("Compressing layers", Interlocked.Increment(ref done), layers.Length));
            });
        }
        catch (AggregateException e)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }

        var mediaType = format == ManifestFormat.Docker ? MediaTypes.DockerManifest : MediaTypes.OciManifest;
        var configType = format == ManifestFormat.Docker ? MediaTypes.DockerConfig : MediaTypes.OciConfig;
        var unchanged = (manifest.MediaType ?? MediaTypes.OciManifest) == mediaType && manifest.Config.MediaType == configType
                        && layers.Select(l => (l.Digest, l.MediaType)).SequenceEqual(manifest.Layers.Select(l => (l.Digest, l.MediaType)));
        if (unchanged)
            return new ConvertedManifest(content, manifest.MediaType ?? MediaTypes.OciManifest, manifestDigest, manifest);

        var converted = new ImageManifest
        {
            SchemaVersion = 2,
            MediaType = mediaType,
            Config = new Descriptor { MediaType = configType, Digest = manifest.Config.Digest, Size = manifest.Config.Size },
            Layers = [.. layers],
            // schema 2 has no annotations
            Annotations = format == ManifestFormat.Oci ? manifest.Annotations : null,
        };
        var bytes = Json.Serialize(converted);
        Descriptor written;
        using (var stream = new MemoryStream(bytes))
            written = images.Blobs.Write(stream, mediaType);
        return new ConvertedManifest(bytes, mediaType, written.Digest, converted);
    }

    /// <summary>A layer's descriptor in format, its blob re-compressed when compression asks for another than it has.</summary>
    private Descriptor ConvertLayer(Descriptor layer, string diffId, ManifestFormat format, LayerCompression? compression, string image,
        CancellationToken cancellation)
    {
        LayerCompression has;
        using (var blob = images.Blobs.Open(layer.Digest))
            has = Compression.Detect(blob);
        var target = compression ?? has;
        if (format == ManifestFormat.Docker && target == LayerCompression.Zstd)
            throw ZstdNeedsOci(image);
        var mediaType = LayerMediaType(format, target);
        if (target == has)
            // annotations (zstd:chunked's table of contents, say) hold of these same bytes; schema 2 has none
            return new Descriptor { MediaType = mediaType, Digest = layer.Digest, Size = layer.Size, Annotations = format == ManifestFormat.Oci ? layer.Annotations : null };

        var staged = Staging.NewPath(images.Paths);
        try
        {
            string digest, uncompressedDigest;
            long size;
            using (var file = new FileStream(staged, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                using (var hashing = new HashingStream(file, leaveOpen: true))
                {
                    using (var source = images.Blobs.Open(layer.Digest))
                    using (var tar = new HashingStream(Compression.OpenUncompressed(source, layer.MediaType)))
                    {
                        var compressing = Compression.OpenCompressing(hashing, target);
                        // disposed, the compressor writes its last frame
                        using (compressing == hashing ? null : compressing)
                            Copy.WithProgress(tar, compressing, source, "Compressing", null, cancellation);
                        uncompressedDigest = tar.Digest;
                    }
                    digest = hashing.Digest;
                    size = hashing.BytesProcessed;
                }
                file.Flush(flushToDisk: true);
            }
            // the config names the layer by this digest: a blob that unpacks to another tar is not pushed under it
            if (uncompressedDigest != diffId)
                throw Errors.Errors.StoreCorrupt(images.Paths.BlobPath(layer.Digest), $"the layer unpacks to {uncompressedDigest}, not its diff id {diffId}");
            images.Blobs.Commit(staged, digest);
            return new Descriptor { MediaType = mediaType, Digest = digest, Size = size };
        }
        finally
        {
            File.Delete(staged);
        }
    }

    private static string LayerMediaType(ManifestFormat format, LayerCompression compression) => (format, compression) switch
    {
        (ManifestFormat.Docker, LayerCompression.None) => MediaTypes.DockerLayer,
        (ManifestFormat.Docker, _) => MediaTypes.DockerLayerGzip,
        (_, LayerCompression.Gzip) => MediaTypes.OciLayerGzip,
        (_, LayerCompression.Zstd) => MediaTypes.OciLayerZstd,
        _ => MediaTypes.OciLayer,
    };

    private static Errors.ContainerException ZstdNeedsOci(string image) =>
        Errors.Errors.InvalidArgument("ZstdNeedsOciFormat",
            "Docker's schema 2 has no media type for zstd layers: push with -Format Oci, or -Compression gzip.", image);
}
