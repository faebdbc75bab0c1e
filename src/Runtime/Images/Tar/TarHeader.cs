namespace Container.Runtime.Images.Tar;

internal enum TarEntryKind
{
    File,
    Directory,
    SymbolicLink,
    HardLink,
    CharacterDevice,
    BlockDevice,
    Fifo,
    /// <summary>Anything else (a volume label, a multi-volume part): nothing to make.</summary>
    Other,
}

/// <summary>A stretch of a sparse file that holds data; what lies between is a hole.</summary>
internal readonly record struct SparseRegion(long Offset, long Length);

/// <summary>
/// One entry of a tar archive, with all its headers (ustar, GNU long names, PAX records,
/// both GNU sparse formats) folded into one.
/// </summary>
internal sealed class TarHeader
{
    public required string Name { get; init; }

    public string LinkName { get; init; } = "";

    public TarEntryKind Kind { get; init; }

    /// <summary>Permission bits, with set-id and sticky.</summary>
    public uint Mode { get; init; }

    public uint Uid { get; init; }

    public uint Gid { get; init; }

    public long ModifiedSeconds { get; init; }

    public long ModifiedNanoseconds { get; init; }

    public uint DeviceMajor { get; init; }

    public uint DeviceMinor { get; init; }

    /// <summary>The file's size once unpacked (a sparse file's holes included).</summary>
    public long Size { get; init; }

    /// <summary>A sparse file's data regions, in order (their data is the entry's data, one after another); null for any other.</summary>
    public IReadOnlyList<SparseRegion>? Sparse { get; init; }

    /// <summary>Extended attributes (PAX SCHILY.xattr records), their values as written.</summary>
    public IReadOnlyList<(string Name, byte[] Value)> Xattrs { get; init; } = [];

    /// <summary>Where the entry's data starts in the archive, and how long it is there.</summary>
    public long DataOffset { get; init; }

    public long DataLength { get; init; }
}
