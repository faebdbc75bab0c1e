using System.Formats.Tar;
using System.Text.Json;
using System.Text.Json.Nodes;
using Container.Runtime.Storage;

namespace Container.Runtime.Images.Formats;

/// <summary>
/// The archive `docker save` writes and `docker load` reads (skopeo's docker-archive:):
/// manifest.json lists each image's config, tags and layer tarballs.
/// </summary>
internal static class DockerArchive
{
    public static bool Matches(ImageSource source) => source.Contains("manifest.json");

    /// <summary>Copies each image into the store, as an OCI manifest over the same config and layers.</summary>
    public static List<ArchivedImage> Read(ImageSource source, BlobStore blobs)
    {
        JsonNode? manifestList;
        using (var stream = source.Open("manifest.json"))
            manifestList = JsonNode.Parse(stream);
        if (manifestList is not JsonArray entries)
            throw Errors.Errors.InvalidArgument("InvalidImageArchive", "manifest.json is not a list of images.", "manifest.json");
        var images = new List<ArchivedImage>();
        foreach (var entry in entries)
        {
            var configPath = entry?["Config"]?.GetValue<string>()
                             ?? throw Errors.Errors.InvalidArgument("InvalidImageArchive", "An image in manifest.json has no Config.", "manifest.json");
            Descriptor config;
            using (var stream = source.Open(configPath))
                config = blobs.Write(stream, MediaTypes.OciConfig);
            var diffIds = Json.Deserialize<ImageConfig>(blobs.ReadAllBytes(config.Digest)).RootFs.DiffIds;
            var layerPaths = entry!["Layers"]?.AsArray().Select(l => l!.GetValue<string>()).ToList() ?? [];
            if (layerPaths.Count != diffIds.Count)
                throw Errors.Errors.InvalidArgument("InvalidImageArchive",
                    $"Image config {config.Digest} has {diffIds.Count} layers but manifest.json lists {layerPaths.Count}.", configPath);
            var layers = layerPaths.Select(path => WriteLayer(source, blobs, path)).ToList();
            var manifest = blobs.WriteJson(new ImageManifest { Config = config, Layers = layers }, MediaTypes.OciManifest);
            var names = entry["RepoTags"]?.AsArray().Select(t => t!.GetValue<string>())
                .Select(t => ImageReference.TryParse(t, out var r, out _) ? r.ToString() : null).OfType<string>().ToList() ?? [];
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
        var manifestList = new JsonArray();
        var repositories = new JsonObject();
        foreach (var (image, name) in images)
        {
            var manifest = Json.Deserialize<ImageManifest>(blobs.ReadAllBytes(image.Digest));
            var configFile = $"{manifest.Config.Digest["sha256:".Length..]}.json";
            if (written.Add(configFile))
                using (var config = blobs.Open(manifest.Config.Digest))
                    Archive.WriteFile(writer, configFile, config);
            var layerFiles = new JsonArray();
            for (var i = 0; i < manifest.Layers.Count; i++)
            {
                var layerFile = $"{image.Layers[i]["sha256:".Length..]}.tar";
                layerFiles.Add(layerFile);
                if (written.Add(layerFile))
                    WriteUncompressedLayer(writer, layerFile, manifest.Layers[i], blobs, paths);
            }
            var familiar = name.ToFamiliarString();
            manifestList.Add(new JsonObject { ["Config"] = configFile, ["RepoTags"] = new JsonArray(familiar), ["Layers"] = layerFiles });
            var repository = name.FamiliarRepository;
            if (repositories[repository] is not JsonObject tags)
                repositories[repository] = tags = [];
            tags[name.Tag ?? ImageReference.DefaultTag] = image.Layers[^1]["sha256:".Length..];
        }
        Archive.WriteFile(writer, "manifest.json", System.Text.Encoding.UTF8.GetBytes(manifestList.ToJsonString()));
        Archive.WriteFile(writer, "repositories", System.Text.Encoding.UTF8.GetBytes(repositories.ToJsonString()));
    }

    /// <summary>docker load checks a layer's sha256 against its diff id: the layer goes in uncompressed.</summary>
    private static void WriteUncompressedLayer(TarWriter writer, string name, Descriptor layer, BlobStore blobs, StorePaths paths)
    {
        using var blob = blobs.Open(layer.Digest);
        if (!Compression.IsGzip(blob))
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
