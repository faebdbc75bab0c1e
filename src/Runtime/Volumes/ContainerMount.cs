namespace Container.Runtime.Volumes;

public enum MountType
{
    Bind,
    Volume,
    Tmpfs,
}

/// <summary>
/// A mount of a container, as its record keeps it and Get-Container shows it (docker inspect's
/// Mounts): a host directory or file bound in, a volume, or a tmpfs.
/// </summary>
[System.Text.Json.Serialization.JsonConverter(typeof(Containers.ContainerMountConverter))]
public sealed record ContainerMount
{
    public MountType Type { get; init; }

    /// <summary>A bind's host path, a volume's name (an anonymous one's is its id); none for a tmpfs.</summary>
    public string? Source { get; init; }

    /// <summary>The absolute path inside the container.</summary>
    public string Target { get; init; } = "";

    public bool ReadOnly { get; init; }

    /// <summary>A bind's propagation (rprivate unless given): private, rprivate, shared, rshared, slave, rslave.</summary>
    public string? Propagation { get; init; }

    /// <summary>An empty volume is not given the image's files at the target (docker's nocopy).</summary>
    public bool NoCopy { get; init; }

    /// <summary>A directory in the volume mounted in place of all of it (docker's volume-subpath).</summary>
    public string? Subpath { get; init; }

    /// <summary>A tmpfs's size in bytes; none is the kernel's default (half of the memory).</summary>
    public long? TmpfsSize { get; init; }

    /// <summary>A tmpfs's mode (1777 unless given).</summary>
    public int? TmpfsMode { get; init; }

    /// <summary>A tmpfs's mount flags beyond ro (noexec, nosuid, nodev unless it says exec, suid, dev).</summary>
    public IReadOnlyList<string>? TmpfsFlags { get; init; }

    /// <summary>A bind source made as a directory when it is missing (the short form, -Volume, as docker's -v).</summary>
    public bool CreateSource { get; init; }

    /// <summary>A volume made for this container alone, named by an id (an image's VOLUME, or -Volume /data).</summary>
    public bool Anonymous { get; init; }

    /// <summary>docker's Mode column: ro or rw.</summary>
    public string Mode => ReadOnly ? "ro" : "rw";

    public override string ToString() => $"{Type.ToString().ToLowerInvariant()} {Source ?? "tmpfs"} -> {Target} ({Mode})";
}
