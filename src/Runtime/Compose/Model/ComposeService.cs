using System.Text.Json.Serialization;

namespace Container.Runtime.Compose;

/// <summary>
/// One service of a compose project, every field in one shape whatever form the file wrote it
/// in. Null (or empty) where the file says nothing, so the engine's default applies.
/// </summary>
public sealed record ComposeService
{
    public required string Name { get; init; }

    public string? Image { get; init; }

    public ServiceBuild? Build { get; init; }

    public ServiceCommand? Command { get; init; }

    public ServiceCommand? Entrypoint { get; init; }

    /// <summary>env_file's variables, then environment's over them; null: a key without a value that the environment does not set either.</summary>
    public ValueMap<string?> Environment { get; init; } = ValueMap<string?>.Empty;

    public ValueMap<string> Labels { get; init; } = ValueMap<string>.Empty;

    public ValueList<ServicePort> Ports { get; init; } = [];

    /// <summary>Ports exposed to the service's networks only: "80", "8000-8010", "53/udp".</summary>
    public ValueList<string> Expose { get; init; } = [];

    public ValueList<ServiceVolume> Volumes { get; init; } = [];

    /// <summary>tmpfs mount points, each with its options as written ("/run:size=64m").</summary>
    public ValueList<string> Tmpfs { get; init; } = [];

    /// <summary>The networks the service joins, by their key in the project's networks; empty with a network_mode.</summary>
    public ValueMap<ServiceNetwork> Networks { get; init; } = ValueMap<ServiceNetwork>.Empty;

    /// <summary>none, host, bridge, service:NAME, container:NAME.</summary>
    public string? NetworkMode { get; init; }

    /// <summary>Whose IPC namespace it has: host, private, shareable, service:NAME, container:NAME.</summary>
    public string? Ipc { get; init; }

    /// <summary>Whose PID namespace it has: host, private, service:NAME, container:NAME.</summary>
    public string? Pid { get; init; }

    public ValueMap<ServiceDependency> DependsOn { get; init; } = ValueMap<ServiceDependency>.Empty;

    public ServiceHealthcheck? Healthcheck { get; init; }

    /// <summary>no, always, on-failure, on-failure:N, unless-stopped.</summary>
    public string? Restart { get; init; }

    public string? User { get; init; }

    public string? WorkingDir { get; init; }

    public string? Hostname { get; init; }

    public string? Domainname { get; init; }

    public bool? Init { get; init; }

    public bool ReadOnly { get; init; }

    public bool Privileged { get; init; }

    public bool Tty { get; init; }

    public bool StdinOpen { get; init; }

    /// <summary>Sorted: a set, whatever order the file lists it in.</summary>
    public ValueList<string> CapAdd { get; init; } = [];

    public ValueList<string> CapDrop { get; init; } = [];

    public ValueList<string> Dns { get; init; } = [];

    public ValueList<string> DnsSearch { get; init; } = [];

    /// <summary>"host:address" or "host=address", as written.</summary>
    public ValueList<string> ExtraHosts { get; init; } = [];

    public ValueList<string> SecurityOpt { get; init; } = [];

    public ValueMap<string> Sysctls { get; init; } = ValueMap<string>.Empty;

    public string? StopSignal { get; init; }

    public TimeSpan? StopGracePeriod { get; init; }

    public ServiceDeploy? Deploy { get; init; }

    /// <summary>mem_limit, in bytes (deploy.resources.limits.memory is in Deploy).</summary>
    public long? MemLimit { get; init; }

    public long? MemReservation { get; init; }

    public double? Cpus { get; init; }

    public long? ShmSize { get; init; }

    public int? PidsLimit { get; init; }

    public ValueList<ServiceFileReference> Secrets { get; init; } = [];

    public ValueList<ServiceFileReference> Configs { get; init; } = [];

    public string? ContainerName { get; init; }

    /// <summary>always, never, missing, build, if_not_present (= missing), daily, weekly, every_&lt;duration&gt;.</summary>
    public string? PullPolicy { get; init; }

    public string? Platform { get; init; }

    public ValueList<string> Profiles { get; init; } = [];

    /// <summary>
    /// Fields of the specification this model does not type yet (logging, ulimits, devices...):
    /// each as canonical JSON, so that they count in the fingerprint and a caller can say which
    /// ones it cannot honour.
    /// </summary>
    public ValueMap<string> OtherFields { get; init; } = ValueMap<string>.Empty;

    /// <summary>
    /// The fingerprint of the effective configuration (what docker compose stores as the label
    /// com.docker.compose.config-hash): sha256 of the canonical form of everything but what does
    /// not make a container different (build, pull_policy, replicas, depends_on, profiles).
    /// </summary>
    [JsonIgnore]
    public string ConfigHash { get; init; } = "";
}
