using System.Formats.Tar;
using System.Text.Json.Serialization;
using Container.Runtime.Storage;

namespace Container.Runtime.Images.Formats;

/// <summary>
/// The archive `docker save` writes and `docker load` reads (skopeo's docker-archive:):
/// manifest.json lists each image's config, tags and layer tarballs.
/// </summary>
internal static class DockerArchive
{
    private const string ManifestFile = "manifest.json";

    public static bool Matches(ImageSource source) => source.Contains(ManifestFile);

    /// <summary>Copies each image into the store, as an OCI manifest over the same config and layers.</summary>
    public static List<ArchivedImage> Read(ImageSource source, BlobStore blobs)
    {
        List<DockerArchiveImage> entries;
        using (var stream = source.Open(ManifestFile))
            entries = Json.Deserialize<List<DockerArchiveImage>>(stream);
        var images = new List<ArchivedImage>();
        foreach (var entry in entries)
        {
            var configPath = entry.Config
                             ?? throw Errors.Errors.InvalidImageArchive("An image in manifest.json has no Config.", ManifestFile);
            Descriptor config;
            using (var stream = source.Open(configPath))
                config = blobs.Write(stream, MediaTypes.OciConfig);
            var diffIds = Json.Deserialize<ImageConfig>(blobs.ReadAllBytes(config.Digest)).RootFs.DiffIds;
            var layerPaths = entry.Layers ?? [];
            if (layerPaths.Count != diffIds.Count)
                throw Errors.Errors.InvalidImageArchive(
                    $"Image config {config.Digest} has {diffIds.Count} layers but manifest.json lists {layerPaths.Count}.", configPath);
            var layers = layerPaths.Select(path => WriteLayer(source, blobs, path)).ToList();
            var manifest = blobs.WriteJson(new ImageManifest { Config = config, Layers = layers }, MediaTypes.OciManifest);
            var names = (entry.RepoTags ?? []).Select(t => ImageReference.TryParse(t, out var r, out _) ? r.ToString() : null).OfType<string>().ToList();
            images.Add(new ArchivedImage(manifest, names));
        }
        return images;
    }

    private static Descriptor WriteLayer(ImageSource source, BlobStore blobs, string path)
    {
        using var stream = source.Open(path);
        var mediaType = Compression.IsGzip(stream) ? MediaTypes.OciLayerGzip : MediaTypes.OciLayer;
        return blobs.Write(stream, mediaType);
    }

    /// <summary>
    /// Writes images as docker save does: a config per image, each layer once as a plain tar
    /// named after its diff id, manifest.json and repositories. Tags are written in their familiar form.
    /// </summary>
    public static void Write(Stream output, IReadOnlyList<ExportedImage> images, BlobStore blobs, StorePaths paths)
    {
        using var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        var written = new HashSet<string>();
        var entries = new List<DockerArchiveImage>();
        var repositories = new Dictionary<string, Dictionary<string, string>>();
        foreach (var (image, name) in images)
        {
            var manifest = Json.Deserialize<ImageManifest>(blobs.ReadAllBytes(image.Digest));
            var configFile = $"{manifest.Config.Digest["sha256:".Length..]}.json";
            if (written.Add(configFile))
                using (var config = blobs.Open(manifest.Config.Digest))
                    Archive.WriteFile(writer, configFile, config);
            var layerFiles = new List<string>();
            for (var i = 0; i < manifest.Layers.Count; i++)
            {
                var layerFile = $"{image.Layers[i]["sha256:".Length..]}.tar";
                layerFiles.Add(layerFile);
                if (written.Add(layerFile))
                    WriteUncompressedLayer(writer, layerFile, manifest.Layers[i], blobs, paths);
            }
            entries.Add(new DockerArchiveImage { Config = configFile, RepoTags = [name.ToFamiliarString()], Layers = layerFiles });
            if (!repositories.TryGetValue(name.FamiliarRepository, out var tags))
                repositories[name.FamiliarRepository] = tags = [];
            tags[name.Tag ?? ImageReference.DefaultTag] = image.Layers[^1]["sha256:".Length..];
        }
        Archive.WriteFile(writer, ManifestFile, Json.Serialize(entries));
        Archive.WriteFile(writer, "repositories", Json.Serialize(repositories));
    }

    /// <summary>docker load checks a layer's sha256 against its diff id: the layer goes in uncompressed.</summary>
    private static void WriteUncompressedLayer(TarWriter writer, string name, Descriptor layer, BlobStore blobs, StorePaths paths)
    {
        using var blob = blobs.Open(layer.Digest);
        if (Compression.Detect(blob) == LayerCompression.None)
        {
            Archive.WriteFile(writer, name, blob);
            return;
        }
        // a tar entry needs its length up front: decompress to staging first
        var plain = Staging.NewPath(paths, ".tar");
        try
        {
            using var file = new FileStream(plain, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
            using (var uncompressed = Compression.OpenUncompressed(blobs.Open(layer.Digest), layer.MediaType))
                uncompressed.CopyTo(file);
            file.Position = 0;
            Archive.WriteFile(writer, name, file);
        }
        finally
        {
            File.Delete(plain);
        }
    }
}

/// <summary>An image in a docker archive's manifest.json.</summary>
internal sealed class DockerArchiveImage
{
    [JsonPropertyName("Config")] public string? Config { get; set; }
    [JsonPropertyName("RepoTags")] public List<string>? RepoTags { get; set; }
    [JsonPropertyName("Layers")] public List<string>? Layers { get; set; }
}
