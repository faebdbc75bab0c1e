namespace Container.Runtime.Compose;

/// <summary>command or entrypoint: its words, and the text when the file wrote a string (split as docker compose splits it, with shell quoting, no shell).</summary>
public sealed record ServiceCommand(ValueList<string> Words, string? Text)
{
    public bool WrittenAsString => Text != null;
}

public sealed record ServiceBuild(
    string Context,
    string? Dockerfile,
    ValueMap<string?> Args,
    string? Target,
    ValueMap<string> Labels,
    string? Network,
    ValueList<string> CacheFrom);

/// <summary>A published port. Published is null for a port published on a port the engine picks; it may be a range ("8000-8010").</summary>
public sealed record ServicePort(
    int Target,
    string? Published,
    string? HostIp,
    string Protocol,
    string? Mode,
    string? Name,
    string? AppProtocol);

public enum VolumeType
{
    Volume,
    Bind,
    Tmpfs,
    Npipe,
    Image,
    Cluster,
}

/// <summary>
/// A mount of a service. Source: a bind's absolute host path, a named volume's key in the
/// project's volumes (null for an anonymous volume and tmpfs).
/// </summary>
public sealed record ServiceVolume(
    VolumeType Type,
    string? Source,
    string Target,
    bool ReadOnly,
    string? Consistency,
    BindOptions? Bind,
    VolumeOptions? Volume,
    TmpfsOptions? Tmpfs);

/// <param name="CreateHostPath">make the source if it is missing (the short form always does)</param>
/// <param name="SeLinux">z or Z</param>
public sealed record BindOptions(string? Propagation, bool CreateHostPath, string? SeLinux);

public sealed record VolumeOptions(bool NoCopy, string? Subpath);

public sealed record TmpfsOptions(long? Size, string? Mode);

public sealed record ServiceNetwork(ValueList<string> Aliases, string? Ipv4Address, string? Ipv6Address, int? Priority);

public enum DependencyCondition
{
    ServiceStarted,
    ServiceHealthy,
    ServiceCompletedSuccessfully,
}

public sealed record ServiceDependency(DependencyCondition Condition, bool Restart, bool Required);

/// <summary>Test in its list form (["CMD", ...], ["CMD-SHELL", "..."]); Disable for NONE or disable: true.</summary>
public sealed record ServiceHealthcheck(
    ValueList<string> Test,
    TimeSpan? Interval,
    TimeSpan? Timeout,
    TimeSpan? StartPeriod,
    TimeSpan? StartInterval,
    int? Retries,
    bool Disable);

public sealed record ServiceDeploy(int? Replicas, ServiceResources? Limits, ServiceResources? Reservations);

public sealed record ServiceResources(long? Memory, double? Cpus, int? Pids);

/// <summary>A service's use of a secret or a config: Source is the key in the project's; Target an absolute path in the container.</summary>
public sealed record ServiceFileReference(string Source, string Target, string? Uid, string? Gid, int? Mode)
{
    /// <summary>
    /// The sha256 of the content it refers to, as the loader read it, so that the config hash
    /// changes with the content (docker compose recreates a service whose secret changed); null
    /// where it could not be read (external, a missing file, an unset variable).
    /// </summary>
    public string? Digest { get; init; }
}
