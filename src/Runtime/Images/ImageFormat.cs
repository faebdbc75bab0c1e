using System.Text.Json.Serialization;

namespace Container.Runtime.Images;

// The OCI image format (image-spec): descriptors, the layout's index, manifests
// and image configs. The image config keeps Docker's field names, as the spec does.

public static class MediaTypes
{
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string OciConfig = "application/vnd.oci.image.config.v1+json";
    public const string OciLayer = "application/vnd.oci.image.layer.v1.tar";
    public const string OciLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
    public const string OciLayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
    public const string DockerConfig = "application/vnd.docker.container.image.v1+json";
    public const string DockerLayer = "application/vnd.docker.image.rootfs.diff.tar";
    public const string DockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip";
}

public static class Annotations
{
    /// <summary>The name an OCI layout gives a manifest in its index.</summary>
    public const string RefName = "org.opencontainers.image.ref.name";

    /// <summary>Ours, on a nameless image of the index that stays until it is removed (an untagged build's result).</summary>
    public const string Kept = "io.container.image.kept";
}

[JsonConverter(typeof(DescriptorConverter))]
public sealed class Descriptor
{
    public string MediaType { get; set; } = "";
    public string Digest { get; set; } = "";
    public long Size { get; set; }
    public Dictionary<string, string>? Annotations { get; set; }
    public PlatformSpec? Platform { get; set; }
}

[JsonConverter(typeof(PlatformSpecConverter))]
public sealed class PlatformSpec
{
    public string Architecture { get; set; } = "";
    public string Os { get; set; } = "";
    public string? Variant { get; set; }
}

[JsonConverter(typeof(ImageIndexConverter))]
public sealed class ImageIndex
{
    public int SchemaVersion { get; set; } = 2;
    public string? MediaType { get; set; } = MediaTypes.OciIndex;
    public List<Descriptor> Manifests { get; set; } = [];
}

[JsonConverter(typeof(ImageManifestConverter))]
public sealed class ImageManifest
{
    public int SchemaVersion { get; set; } = 2;
    public string? MediaType { get; set; } = MediaTypes.OciManifest;
    public Descriptor Config { get; set; } = new();
    public List<Descriptor> Layers { get; set; } = [];
    public Dictionary<string, string>? Annotations { get; set; }
}

[JsonConverter(typeof(ImageConfigConverter))]
public sealed class ImageConfig
{
    public DateTimeOffset? Created { get; set; }
    public string? Author { get; set; }
    public string Architecture { get; set; } = "amd64";
    public string Os { get; set; } = "linux";
    public ContainerConfig? Config { get; set; }
    [JsonPropertyName("rootfs")] public RootFsConfig RootFs { get; set; } = new();
    public List<HistoryEntry>? History { get; set; }
}

/// <summary>The defaults a container takes from its image.</summary>
[JsonConverter(typeof(ContainerConfigConverter))]
public sealed class ContainerConfig
{
    [JsonPropertyName("User")] public string? User { get; set; }
    [JsonPropertyName("ExposedPorts")] public Dictionary<string, object>? ExposedPorts { get; set; }
    [JsonPropertyName("Env")] public List<string>? Env { get; set; }
    [JsonPropertyName("Entrypoint")] public List<string>? Entrypoint { get; set; }
    [JsonPropertyName("Cmd")] public List<string>? Cmd { get; set; }
    [JsonPropertyName("Volumes")] public Dictionary<string, object>? Volumes { get; set; }
    [JsonPropertyName("WorkingDir")] public string? WorkingDir { get; set; }
    [JsonPropertyName("Labels")] public Dictionary<string, string>? Labels { get; set; }
    [JsonPropertyName("StopSignal")] public string? StopSignal { get; set; }
    [JsonPropertyName("Healthcheck")] public HealthcheckConfig? Healthcheck { get; set; }

    /// <summary>The shell a Dockerfile's shell forms run in (SHELL); /bin/sh -c when null.</summary>
    [JsonPropertyName("Shell")] public List<string>? Shell { get; set; }

    /// <summary>ONBUILD's instructions, as written: a build FROM this image runs them first.</summary>
    [JsonPropertyName("OnBuild")] public List<string>? OnBuild { get; set; }
}

/// <summary>An image's healthcheck, as docker writes it (durations in nanoseconds).</summary>
public sealed class HealthcheckConfig
{
    /// <summary>["CMD", args...], ["CMD-SHELL", command] or ["NONE"].</summary>
    [JsonPropertyName("Test")] public List<string>? Test { get; set; }
    [JsonPropertyName("Interval")] public long? Interval { get; set; }
    [JsonPropertyName("Timeout")] public long? Timeout { get; set; }
    [JsonPropertyName("StartPeriod")] public long? StartPeriod { get; set; }
    [JsonPropertyName("Retries")] public int? Retries { get; set; }
}

public sealed class RootFsConfig
{
    public string Type { get; set; } = "layers";
    [JsonPropertyName("diff_ids")] public List<string> DiffIds { get; set; } = [];
}

public sealed class HistoryEntry
{
    public DateTimeOffset? Created { get; set; }
    [JsonPropertyName("created_by")] public string? CreatedBy { get; set; }
    public string? Comment { get; set; }
    [JsonPropertyName("empty_layer")] public bool? EmptyLayer { get; set; }
}
