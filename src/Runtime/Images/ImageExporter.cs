using Container.Runtime.Images.Formats;
using Container.Runtime.Storage;

namespace Container.Runtime.Images;

public enum ImageArchiveFormat
{
    /// <summary>What docker save writes and docker load, podman load and skopeo's docker-archive: read.</summary>
    DockerArchive,
    /// <summary>An OCI layout in a tar: skopeo's oci-archive:, podman load.</summary>
    OciArchive,
}

/// <summary>Writes images to an archive file, atomically: the file appears complete or not at all.</summary>
public sealed class ImageExporter(ImageStore store)
{
    public void Export(IReadOnlyList<string> references, string path, ImageArchiveFormat format)
    {
        var images = references.Select(reference =>
        {
            var image = store.Get(reference);
            // export under the name asked for, or the image's own
            var name = ImageReference.TryParse(reference, out var asked, out _) && image.Names.Contains(asked.ToString())
                ? asked
                : image.Name ?? throw Errors.Errors.InvalidArgument("ImageHasNoName",
                    $"Image {image.ShortId} has no name to export it under: tag it first (Add-ContainerImageTag).", reference);
            return new ExportedImage(image, name);
        }).ToList();
        Storage.AtomicFile.Write(Path.GetFullPath(path), output =>
        {
            if (format == ImageArchiveFormat.OciArchive)
                OciLayout.WriteArchive(output, images, store.Blobs);
            else
                DockerArchive.Write(output, images, store.Blobs, store.Paths);
        });
    }
}
