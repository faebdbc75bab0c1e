using Container.Runtime.Networks;

namespace Container.Runtime.Containers;

/// <summary>
/// What <c>New-Container</c> decided, kept in <c>container.json</c>. It changes only
/// by rename; everything about runs lives in <see cref="RunRecord"/> and <see cref="ExitRecord"/>.
/// </summary>
[System.Text.Json.Serialization.JsonConverter(typeof(ContainerRecordConverter))]
public sealed class ContainerRecord
{
    /// <summary>A stop's wait for the stop signal to work when neither the stop nor the container names one (docker's 10 s).</summary>
    public static readonly TimeSpan DefaultStopTimeout = TimeSpan.FromSeconds(10);

    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    /// <summary>The image reference as resolved when the container was made.</summary>
    public string Image { get; set; } = "";
    public string ImageId { get; set; } = "";
    public DateTimeOffset Created { get; set; }
    public List<string> Entrypoint { get; set; } = [];
    public List<string> Command { get; set; } = [];
    public List<string> Environment { get; set; } = [];
    public string WorkingDirectory { get; set; } = "/";
    public string? User { get; set; }
    public string Hostname { get; set; } = "";
    public Dictionary<string, string> Labels { get; set; } = [];
    /// <summary>Unpacked layer directories, topmost first: the overlay's lower dirs.</summary>
    public List<string> Layers { get; set; } = [];
    public string Runtime { get; set; } = Oci.OciRuntime.Default;
    public bool Tty { get; set; }
    public bool Interactive { get; set; }
    /// <summary>container-init as pid 1, the command its child (docker run --init).</summary>
    public bool Init { get; set; }
    public string RestartPolicy { get; set; } = "no";
    public Healthcheck? Healthcheck { get; set; }
    public bool AutoRemove { get; set; }
    public string StopSignal { get; set; } = "SIGTERM";
    /// <summary>A stop's wait when it names none; null: <see cref="ContainerRecord.DefaultStopTimeout"/>.</summary>
    public TimeSpan? StopTimeout { get; set; }
    /// <summary>none, host, container:&lt;id&gt;, or the network's name (bridge is the default one); a record from before networks is none.</summary>
    public string NetworkMode { get; set; } = NetworkOptions.None;
    /// <summary>private, host, or container:&lt;id&gt; (<see cref="NamespaceModes"/>).</summary>
    public string IpcMode { get; set; } = NamespaceModes.Private;
    public string PidMode { get; set; } = NamespaceModes.Private;
    /// <summary>Its place on each network it is on (one for now): interface, addresses, aliases.</summary>
    public List<NetworkEndpoint> Networks { get; set; } = [];
    /// <summary>Published ports as asked for: a host port of 0 is chosen at each start.</summary>
    public List<PortMapping> Ports { get; set; } = [];
    public string? Domainname { get; set; }
    public List<string>? Dns { get; set; }
    public List<string>? DnsSearch { get; set; }
    public List<string>? DnsOption { get; set; }
    /// <summary>Extra /etc/hosts entries, name:address.</summary>
    public List<string>? AddHost { get; set; }
    /// <summary>Its binds, volumes (anonymous ones by the name made for them) and tmpfs mounts, as resolved when it was made.</summary>
    public List<Volumes.ContainerMount> Mounts { get; set; } = [];
    /// <summary>Its user namespace's maps; null runs it in the host's (its files owned by the image's ids).</summary>
    public UserNamespace? UserNamespace { get; set; }
}

/// <summary>One run of a container, written by the engine when the monitor reports it started.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(RunRecordConverter))]
public sealed class RunRecord
{
    /// <summary>The kernel's boot id: a run from another boot has ended, whatever its pids say now.</summary>
    public string? BootId { get; set; }
    public int Pid { get; set; }
    public ulong PidStartTime { get; set; }
    public int MonitorPid { get; set; }
    public ulong MonitorStartTime { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    /// <summary>Times the monitor restarted the container under its restart policy.</summary>
    public int RestartCount { get; set; }
}

/// <summary>How the last run ended, written by the monitor once it has cleaned up.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(ExitRecordConverter))]
public sealed class ExitRecord
{
    public int ExitCode { get; set; }
    public int Signal { get; set; }
    public bool OomKilled { get; set; }
    /// <summary>The monitor is in back-off and will start the container again.</summary>
    public bool Restarting { get; set; }
    public DateTimeOffset FinishedAt { get; set; }
}

/// <summary>The healthcheck's state, written by the monitor after each probe.</summary>
public sealed class HealthRecord
{
    public HealthStatus Status { get; set; }
    public int FailingStreak { get; set; }
    /// <summary>The last results, oldest first (five, as docker keeps).</summary>
    public List<HealthcheckResult> Log { get; set; } = [];
}
