using System.Formats.Tar;
using System.Text;

namespace Container.Runtime.Images.Formats;

/// <summary>
/// The OCI image layout (oci-layout, index.json, blobs/sha256/), as a directory or a tar
/// (skopeo's oci: and oci-archive:).
/// </summary>
internal static class OciLayout
{
    /// <summary>The name containerd (and docker 25+) gives an image in a layout's index: a full reference.</summary>
    private const string ContainerdNameAnnotation = "io.containerd.image.name";

    public static bool Matches(ImageSource source) => source.Contains("oci-layout") && source.Contains("index.json");

    /// <summary>Copies each image the index names into the store, verifying every blob.</summary>
    public static List<ArchivedImage> Read(ImageSource source, BlobStore blobs)
    {
        var index = Json.Deserialize<ImageIndex>(ReadAll(source, "index.json"));
        var images = new List<ArchivedImage>();
        foreach (var descriptor in index.Manifests)
        {
            var manifest = ResolvePlatform(source, blobs, descriptor);
            CopyBlob(source, blobs, manifest);
            var parsed = Json.Deserialize<ImageManifest>(blobs.ReadAllBytes(manifest.Digest));
            CopyBlob(source, blobs, parsed.Config);
            foreach (var layer in parsed.Layers)
                CopyBlob(source, blobs, layer);
            images.Add(new ArchivedImage(manifest, NamesOf(descriptor)));
        }
        return images;
    }

    /// <summary>A manifest list (multi-platform) stands for the manifest of this machine's platform.</summary>
    private static Descriptor ResolvePlatform(ImageSource source, BlobStore blobs, Descriptor descriptor)
    {
        if (descriptor.MediaType is not (MediaTypes.OciIndex or MediaTypes.DockerManifestList))
            return descriptor;
        CopyBlob(source, blobs, descriptor);
        var list = Json.Deserialize<ImageIndex>(blobs.ReadAllBytes(descriptor.Digest));
        return ImagePlatform.Host.Pick(list.Manifests)
               ?? throw Errors.Errors.InvalidArgument("NoMatchingPlatform", $"The archive has no image for {ImagePlatform.Host}.", descriptor.Digest);
    }

    private static List<string> NamesOf(Descriptor descriptor)
    {
        var annotations = descriptor.Annotations ?? [];
        if (annotations.TryGetValue(ContainerdNameAnnotation, out var full) && ImageReference.TryParse(full, out var parsed, out _))
            return [parsed.ToString()];
        // ref.name is often a tag alone ("latest"): only a name with a repository names an image
        if (annotations.TryGetValue(Annotations.RefName, out var name) && name.Contains(':') && ImageReference.TryParse(name, out parsed, out _))
            return [parsed.ToString()];
        return [];
    }

    private static void CopyBlob(ImageSource source, BlobStore blobs, Descriptor descriptor)
    {
        if (blobs.Exists(descriptor.Digest))
            return;
        using var content = source.Open(BlobPath(descriptor.Digest));
        blobs.Write(content, descriptor.MediaType, expectedDigest: descriptor.Digest);
    }

    private static string BlobPath(string digest) => "blobs/sha256/" + digest["sha256:".Length..];

    private static byte[] ReadAll(ImageSource source, string path)
    {
        using var stream = source.Open(path);
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }

    /// <summary>
    /// Writes images as an OCI layout in a tar (skopeo's oci-archive:). Each is named in the
    /// index by its familiar reference (ref.name) and its full one (containerd's annotation).
    /// </summary>
    public static void WriteArchive(Stream output, IReadOnlyList<ExportedImage> images, BlobStore blobs)
    {
        using var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        Archive.WriteFile(writer, "oci-layout", Encoding.UTF8.GetBytes("{\"imageLayoutVersion\":\"1.0.0\"}"));
        var written = new HashSet<string>();
        var index = new ImageIndex();
        foreach (var (image, name) in images)
        {
            var manifest = Json.Deserialize<ImageManifest>(blobs.ReadAllBytes(image.Digest));
            foreach (var digest in new[] { image.Digest, manifest.Config.Digest }.Concat(manifest.Layers.Select(l => l.Digest)))
                if (written.Add(digest))
                    using (var blob = blobs.Open(digest))
                        Archive.WriteFile(writer, BlobPath(digest), blob);
            index.Manifests.Add(new Descriptor
            {
                MediaType = manifest.MediaType ?? MediaTypes.OciManifest,
                Digest = image.Digest,
                Size = blobs.Size(image.Digest),
                Annotations = new() { [Annotations.RefName] = name.ToFamiliarString(), [ContainerdNameAnnotation] = name.ToString() },
            });
        }
        Archive.WriteFile(writer, "index.json", Json.Serialize(index));
    }
}
