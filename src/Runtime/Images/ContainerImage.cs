namespace Container.Runtime.Images;

/// <summary>
/// An image as <c>Get-ContainerImage</c> shows it: one object per name (as
/// <c>docker images</c> has one row per tag), with the full detail behind it.
/// </summary>
public sealed class ContainerImage
{
    public const string None = "<none>";

    /// <summary>The config digest ("sha256:..."), as docker's image id.</summary>
    public required string Id { get; init; }

    public string ShortId => Ids.Short(Id);

    /// <summary>The name this object stands for, parsed once; null when untagged.</summary>
    internal ImageReference? Name { get; init; }

    /// <summary>The repository in its familiar form (busybox), or &lt;none&gt;.</summary>
    public string Repository => Name?.FamiliarRepository ?? None;

    public string Tag => Name?.Tag ?? None;

    /// <summary>The full reference this object stands for (docker.io/library/busybox:latest), or null when untagged.</summary>
    public string? Reference => Name?.ToString();

    /// <summary>Every name of this image.</summary>
    public required IReadOnlyList<string> Names { get; init; }

    /// <summary>The manifest digest.</summary>
    public required string Digest { get; init; }

    public DateTimeOffset? Created { get; init; }

    /// <summary>Unpacked size of all layers, in bytes.</summary>
    public long Size { get; init; }

    /// <summary>Layer diff ids, bottom first.</summary>
    public required IReadOnlyList<string> Layers { get; init; }

    public required ImageConfig Config { get; init; }

    public string Architecture => Config.Architecture;

    public string Os => Config.Os;

    public IReadOnlyList<HistoryEntry> History => Config.History ?? [];

    public override string ToString() => Name?.ToFamiliarString() ?? ShortId;
}
