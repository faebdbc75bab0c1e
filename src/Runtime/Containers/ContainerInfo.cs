using Container.Runtime.Networks;
using Container.Runtime.Text;

namespace Container.Runtime.Containers;

/// <summary>
/// A container as <c>Get-Container</c> shows it: what it was made from and what it
/// is doing now, observed from its record, the kernel and its monitor's files.
/// </summary>
public sealed class ContainerInfo
{
    /// <summary>What Wait-Container returns when a container died unseen and its exit code is lost.</summary>
    public const int UnknownExitCode = -1;

    public required string Id { get; init; }

    public string ShortId => Ids.Short(Id);

    public required string Name { get; init; }

    /// <summary>The image, in its familiar form (busybox:test).</summary>
    public required string Image { get; init; }

    public required string ImageId { get; init; }

    /// <summary>The command line the container runs (entrypoint and command).</summary>
    public required IReadOnlyList<string> CommandLine { get; init; }

    /// <summary>The command line as one string, shortened for tables.</summary>
    public string Command => string.Join(' ', CommandLine.Select(a => a.Contains(' ') ? $"\"{a}\"" : a));

    public required DateTimeOffset Created { get; init; }

    public required ContainerStatus Status { get; init; }

    /// <summary>The exit code of the last run; null while running, before the first run, or when it could not be known.</summary>
    public int? ExitCode { get; init; }

    /// <summary>The signal that ended the last run, 0 when it exited by itself.</summary>
    public int Signal { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Host pid of the container's init while it runs, else 0.</summary>
    public int Pid { get; init; }

    public required string Hostname { get; init; }

    public required IReadOnlyList<string> Environment { get; init; }

    public required string WorkingDirectory { get; init; }

    public required IReadOnlyDictionary<string, string> Labels { get; init; }

    /// <summary>The last run ended because the kernel's OOM killer killed it.</summary>
    public bool OomKilled { get; init; }

    /// <summary>Times its monitor restarted it under its restart policy.</summary>
    public int RestartCount { get; init; }

    public required string RestartPolicy { get; init; }

    /// <summary>The healthcheck's verdict (None without a healthcheck).</summary>
    public HealthStatus Health { get; init; }

    /// <summary>The healthcheck's last results, oldest first (docker inspect's State.Health.Log).</summary>
    public IReadOnlyList<HealthcheckResult> HealthLog { get; init; } = [];

    public bool Tty { get; init; }

    /// <summary>The OCI runtime that runs it (container-runtime, crun, runc).</summary>
    public required string Runtime { get; init; }

    /// <summary>none, host, container:&lt;id&gt;, or the name of the network it is on.</summary>
    public string NetworkMode { get; init; } = NetworkOptions.None;

    /// <summary>Whose IPC namespace it has: private, host, or container:&lt;id&gt; (docker inspect's HostConfig.IpcMode).</summary>
    public string IpcMode { get; init; } = NamespaceModes.Private;

    /// <summary>Whose PID namespace it has: private, host, or container:&lt;id&gt;.</summary>
    public string PidMode { get; init; } = NamespaceModes.Private;

    /// <summary>Its place on each network: interface, addresses, aliases.</summary>
    public IReadOnlyList<NetworkEndpoint> Networks { get; init; } = [];

    /// <summary>Its address on its (first) network; null on none, host or another's network.</summary>
    public string? IPAddress => Networks.Count > 0 ? Networks[0].Address : null;

    /// <summary>Its published ports, the host ports chosen for it while it has its network.</summary>
    public IReadOnlyList<PortMapping> Ports { get; init; } = [];

    /// <summary>docker ps's PORTS column: 0.0.0.0:8080-&gt;80/tcp, 127.0.0.1:9000-&gt;9000/udp.</summary>
    public string PortsText => PortMapping.Format(Ports);

    /// <summary>Its user namespace's uid ranges, container:host:size (podman inspect's IDMappings); empty in the host's.</summary>
    public IReadOnlyList<string> UidMap { get; init; } = [];

    public IReadOnlyList<string> GidMap { get; init; } = [];

    /// <summary>Its binds, volumes and tmpfs mounts (docker inspect's Mounts).</summary>
    public IReadOnlyList<Volumes.ContainerMount> Mounts { get; init; } = [];

    /// <summary>The container's directory: bundle, writable layer, log.</summary>
    public required string Path { get; init; }

    /// <summary>When the status was observed.</summary>
    public required DateTimeOffset ObservedAt { get; init; }

    /// <summary>docker ps's status column: "Up 5 minutes", "Exited (0) 2 seconds ago", "Created", "Starting".</summary>
    public string StatusText => Status switch
    {
        ContainerStatus.Created => "Created",
        ContainerStatus.Starting => "Starting",
        ContainerStatus.Running => $"Up {HumanDuration.Format(ObservedAt - (StartedAt ?? ObservedAt))}{HealthText}",
        ContainerStatus.Paused => $"Up {HumanDuration.Format(ObservedAt - (StartedAt ?? ObservedAt))} (Paused)",
        ContainerStatus.Restarting => $"Restarting ({ExitCode}) {HumanDuration.Format(ObservedAt - (FinishedAt ?? ObservedAt))} ago",
        _ => $"Exited ({(ExitCode?.ToString() ?? "unknown")}) {HumanDuration.Format(ObservedAt - (FinishedAt ?? ObservedAt))} ago",
    };

    private string HealthText => Health switch
    {
        HealthStatus.Starting => " (health: starting)",
        HealthStatus.Healthy => " (healthy)",
        HealthStatus.Unhealthy => " (unhealthy)",
        _ => "",
    };

    public override string ToString() => Name;
}
