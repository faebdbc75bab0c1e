namespace Container.Runtime.Build.Context;

/// <summary>What a context entry is: the three kinds a build copies (anything else is refused by the walk).</summary>
public enum ContextEntryType
{
    File,
    Directory,
    SymbolicLink,
}

/// <summary>
/// One file, directory or link a COPY/ADD source selected, with what the cache keys on (mode
/// bits, owner, size, link target) read once, without following a link.
/// </summary>
public sealed record ContextEntry
{
    /// <summary>The path relative to the context root, forward slashes.</summary>
    public required string Path { get; init; }

    /// <summary>
    /// The path under the destination: a directory source's contents relative to it, a file
    /// source's name, a wildcard match as a source of its own.
    /// </summary>
    public required string DestinationPath { get; init; }

    /// <summary>The absolute path on this host.</summary>
    public required string FullPath { get; init; }

    public required ContextEntryType Type { get; init; }

    /// <summary>Permission, setuid/setgid and sticky bits (mode &amp; 07777).</summary>
    public required uint Mode { get; init; }

    public required uint Uid { get; init; }

    public required uint Gid { get; init; }

    /// <summary>A file's size; 0 for a directory or link.</summary>
    public required long Size { get; init; }

    /// <summary>A link's target as written; null for anything else.</summary>
    public string? LinkTarget { get; init; }
}
