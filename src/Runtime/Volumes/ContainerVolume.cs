namespace Container.Runtime.Volumes;

/// <summary>A named volume (docker volume inspect): its record (volume.json), and, as Get-ContainerVolume tells it, who uses it and its size.</summary>
public sealed class ContainerVolume
{
    public const string LocalDriver = "local";

    public string Name { get; set; } = "";

    /// <summary>local, the one driver: a directory under the store, or what the local driver's options mount there.</summary>
    public string Driver { get; set; } = LocalDriver;

    public Dictionary<string, string> Labels { get; set; } = [];

    /// <summary>The local driver's options, as docker's: type, o, device (type=tmpfs,o=size=100m).</summary>
    public Dictionary<string, string> Options { get; set; } = [];

    /// <summary>Made for one container alone (an image's VOLUME, -Volume /data), named by an id.</summary>
    public bool Anonymous { get; set; }

    /// <summary>An anonymous volume of a container removed when it ends (docker run --rm -d): it goes once no container refers to it.</summary>
    public bool RemoveWhenUnused { get; set; }

    public DateTimeOffset Created { get; set; }

    /// <summary>Where its data is on the host.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Mountpoint { get; set; } = "";

    /// <summary>The containers, running or not, whose mounts refer to it, by name.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<string> UsedBy { get; set; } = [];

    /// <summary>The bytes its files take (du's apparent size).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public long Size { get; set; }

    public override string ToString() => Name;
}

/// <summary>What New-ContainerVolume asks for.</summary>
public sealed record VolumeSpec
{
    public required string Name { get; init; }

    public string Driver { get; init; } = ContainerVolume.LocalDriver;

    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    public IReadOnlyDictionary<string, string>? Options { get; init; }
}
