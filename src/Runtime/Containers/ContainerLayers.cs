using Container.Runtime.Images;

namespace Container.Runtime.Containers;

/// <summary>A container's layers as directories: what its overlay is made of.</summary>
internal static class ContainerLayers
{
    /// <summary>Its image's unpacked layers, topmost first: the overlay's lower dirs.</summary>
    public static List<string> Lower(ImageStore images, ContainerRecord record) =>
        Enumerable.Reverse(record.Layers).Select(images.LayerDirectory).ToList();

    /// <summary>Its files as its processes see them (its /etc/passwd as it is now): its writable layer over its image's.</summary>
    public static List<string> WithUpper(ImageStore images, ContainerStore store, ContainerRecord record) =>
        [store.FileOf(record.Id, ContainerStore.UpperDir), .. Lower(images, record)];
}
