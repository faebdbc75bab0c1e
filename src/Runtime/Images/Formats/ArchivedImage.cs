namespace Container.Runtime.Images.Formats;

/// <summary>An image found in an archive, its blobs now in the store: its manifest, and the names the archive gave it.</summary>
internal sealed record ArchivedImage(Descriptor Manifest, IReadOnlyList<string> Names);

/// <summary>An image to write into an archive, under one name.</summary>
internal sealed record ExportedImage(ContainerImage Image, ImageReference Name);
