using Container.Runtime.Images;

namespace Container.Runtime.Containers;

/// <summary>A container's layers as directories: what its overlay is made of.</summary>
internal static class ContainerLayers
{
    /// <summary>
    /// Its image's unpacked layers, topmost first: the overlay's lower dirs; for a container in
    /// a user namespace, their id-shifted copies (see <see cref="EnsureShifted"/>); for an
    /// image of none (a build's FROM scratch), an empty directory.
    /// </summary>
    public static List<string> Lower(ImageStore images, ContainerRecord record) =>
        record.Layers.Count == 0
            ? [images.EmptyLayerDirectory()]
            : Enumerable.Reverse(record.Layers)
                .Select(layer => record.UserNamespace is { } users ? images.Shifted.ContentDir(layer, users.Key) : images.LayerDirectory(layer))
                .ToList();

    /// <summary>Its files as its processes see them (its /etc/passwd as it is now): its writable layer over its image's.</summary>
    public static List<string> WithUpper(ImageStore images, ContainerStore store, ContainerRecord record) =>
        [store.FileOf(record.Id, ContainerStore.UpperDir), .. Lower(images, record)];

    /// <summary>The id-shifted copies of its layers a container in a user namespace runs on, made where they are missing.</summary>
    public static void EnsureShifted(ImageStore images, ContainerRecord record)
    {
        if (record.UserNamespace is not { } users)
            return;
        foreach (var layer in record.Layers)
            images.Shifted.Ensure(layer, users.Key, users.ToHost);
    }
}
