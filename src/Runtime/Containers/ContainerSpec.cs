namespace Container.Runtime.Containers;

/// <summary>What New-Container asks for. Anything left null comes from the image or the defaults.</summary>
public sealed record ContainerSpec
{
    public required string Image { get; init; }

    public string? Name { get; init; }

    /// <summary>Replaces the image's Cmd.</summary>
    public IReadOnlyList<string>? Command { get; init; }

    /// <summary>Replaces the image's Entrypoint (and drops its Cmd, as docker does).</summary>
    public IReadOnlyList<string>? Entrypoint { get; init; }

    /// <summary>Added to the image's environment; a name set here wins.</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    public string? WorkingDirectory { get; init; }

    public string? User { get; init; }

    /// <summary>Defaults to the container's name.</summary>
    public string? Hostname { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    /// <summary>container-runtime (ours, the default), crun or runc, or a path to an OCI runtime.</summary>
    public string? Runtime { get; init; }

    public bool ReadOnlyRootfs { get; init; }

    /// <summary>A pseudo-terminal for the process (its output is logged as one stream).</summary>
    public bool Tty { get; init; }

    /// <summary>Keeps the process's stdin open.</summary>
    public bool Interactive { get; init; }

    /// <summary>A tiny init as pid 1 that reaps zombies and passes signals on, the command its child (docker run --init).</summary>
    public bool Init { get; init; }

    public RestartPolicy? RestartPolicy { get; init; }

    /// <summary>Replaces the image's healthcheck.</summary>
    public Healthcheck? Healthcheck { get; init; }

    /// <summary>No healthcheck, whatever the image says (docker's --no-healthcheck).</summary>
    public bool DisableHealthcheck { get; init; }

    /// <summary>Removed once it exits (docker run --rm), by its monitor.</summary>
    public bool AutoRemove { get; init; }

    /// <summary>Capabilities added to or dropped from the default set ("NET_ADMIN", "CAP_NET_ADMIN", "ALL").</summary>
    public IReadOnlyList<string>? CapAdd { get; init; }

    public IReadOnlyList<string>? CapDrop { get; init; }

    /// <summary>Every capability, every device, no seccomp filter, no masked paths.</summary>
    public bool Privileged { get; init; }

    public ResourceLimits? Limits { get; init; }

    /// <summary>Replaces the image's stop signal (SIGTERM by default).</summary>
    public string? StopSignal { get; init; }

    /// <summary>How long a stop waits after the stop signal before SIGKILL, when the stop names no time (docker --stop-timeout); null: 10 s.</summary>
    public TimeSpan? StopTimeout { get; init; }

    /// <summary>none, host, bridge, container:&lt;name or id&gt;, or a network's name; null is the store's default (bridge unless it says otherwise).</summary>
    public string? Network { get; init; }

    /// <summary>Ports to publish, as docker's -p: 8080:80, 127.0.0.1:8080:80/udp, 8000-8010:80-90, 80 (a free host port).</summary>
    public IReadOnlyList<string>? Publish { get; init; }

    /// <summary>Every port the image exposes, each to a free host port (docker's -P).</summary>
    public bool PublishAll { get; init; }

    /// <summary>A static address on the network, instead of the next free one.</summary>
    public string? IPAddress { get; init; }

    /// <summary>
    /// The id of a container this one replaces (compose's recreation): its static IPAddress may be
    /// leased while that one still holds it, since that one is removed before this one starts.
    /// </summary>
    internal string? Replaces { get; init; }

    /// <summary>More names the container has on its network, besides its name.</summary>
    public IReadOnlyList<string>? Alias { get; init; }

    public string? Domainname { get; init; }

    /// <summary>Name servers for /etc/resolv.conf, instead of the host's.</summary>
    public IReadOnlyList<string>? Dns { get; init; }

    public IReadOnlyList<string>? DnsSearch { get; init; }

    /// <summary>resolv.conf options (ndots:2, timeout:1).</summary>
    public IReadOnlyList<string>? DnsOption { get; init; }

    /// <summary>Lines for /etc/hosts, as name:address (docker's --add-host).</summary>
    public IReadOnlyList<string>? AddHost { get; init; }

    /// <summary>Binds, volumes and tmpfs mounts (MountParser reads -Volume, -Mount and -Tmpfs into them).</summary>
    public IReadOnlyList<Volumes.ContainerMount>? Mounts { get; init; }

    /// <summary>Containers whose mounts it gets too, name[:ro|rw] (docker's --volumes-from).</summary>
    public IReadOnlyList<string>? VolumesFrom { get; init; }

    /// <summary>
    /// A user namespace's uid ranges, container:host:size (podman's --uidmap, several allowed);
    /// null or empty for none. Its files are then id-shifted copies of its image's.
    /// </summary>
    public IReadOnlyList<string>? UidMap { get; init; }

    /// <summary>Its gid ranges (podman's --gidmap); the uid map when left out, as podman does.</summary>
    public IReadOnlyList<string>? GidMap { get; init; }

    /// <summary>Whose IPC namespace it has (docker --ipc): private (null), shareable, host, or container:&lt;name or id&gt;.</summary>
    public string? Ipc { get; init; }

    /// <summary>Whose PID namespace it has (docker --pid): private (null), host, or container:&lt;name or id&gt;.</summary>
    public string? Pid { get; init; }

    /// <summary>The kernel's HOST_NAME_MAX: a longer hostname would fail only at start.</summary>
    public const int MaxHostnameLength = 64;

    /// <summary>What would fail only at start, on the host's cgroups, is refused at creation (docker refuses these too).</summary>
    internal void Validate(Cgroups.CgroupHierarchy cgroups)
    {
        if (WorkingDirectory != null && !WorkingDirectory.StartsWith('/'))
            throw Errors.Errors.InvalidArgument("InvalidWorkingDirectory",
                $"The working directory '{WorkingDirectory}' is not an absolute path: give one that starts with '/'.", WorkingDirectory);
        if (Hostname != null && (Hostname.Length == 0 || System.Text.Encoding.UTF8.GetByteCount(Hostname) > MaxHostnameLength))
            throw Errors.Errors.InvalidArgument("InvalidHostname",
                $"The hostname '{Hostname}' is not 1 to {MaxHostnameLength} characters long.", Hostname);
        UserNamespace.From(UidMap, GidMap);
        NamespaceModes.CheckAgainstUserNamespace(this);
        Limits?.Validate(cgroups);
        Healthcheck?.Validate();
        Networks.NetworkOptions.Validate(this);
    }
}
