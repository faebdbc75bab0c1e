using System.Collections;
using System.Management.Automation;
using Container.Module.Completers;
using Container.Runtime.Containers;
using Container.Runtime.Images;
using Container.Runtime.Registries;
using Container.Runtime.Volumes;

namespace Container.Module.Cmdlets;

/// <summary>What a new container is made of, as parameters: shared by New-Container and Invoke-ContainerImage (docker create and run).</summary>
public abstract class ContainerCreationCmdlet : LimitsCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Reference")]
    [ArgumentCompleter(typeof(ImageNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Image { get; set; } = "";

    /// <summary>When the image is pulled first: missing (docker's default), always, never.</summary>
    [Parameter]
    public PullPolicy? Pull { get; set; }

    /// <summary>os/architecture[/variant] of the image to pull (linux/arm64); this machine's by default.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Platform { get; set; }

    /// <summary>Replaces the image's command: -Command sh,-c,'echo hi', or the words after the image.</summary>
    [Parameter(Position = 1, ValueFromRemainingArguments = true)]
    public string[]? Command { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    [Parameter]
    public string[]? Entrypoint { get; set; }

    [Parameter]
    public Hashtable? Environment { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? WorkingDirectory { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? User { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Hostname { get; set; }

    [Parameter]
    public Hashtable? Label { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(RuntimeNameCompleter))]
    public string? Runtime { get; set; }

    /// <summary>The root file system read-only (/tmp, /run and the like stay writable tmpfs).</summary>
    [Parameter]
    public SwitchParameter ReadOnly { get; set; }

    [Parameter]
    public SwitchParameter Tty { get; set; }

    [Parameter]
    public SwitchParameter Interactive { get; set; }

    /// <summary>A tiny init as pid 1 that reaps zombies and passes signals on (docker run --init).</summary>
    [Parameter]
    public SwitchParameter Init { get; set; }

    /// <summary>no, on-failure[:N], always or unless-stopped.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(RestartPolicyCompleter))]
    [ValidateNotNullOrEmpty]
    public string? RestartPolicy { get; set; }

    /// <summary>A shell command whose exit code says whether the container is healthy.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? HealthCommand { get; set; }

    /// <summary>30s, 1m30s or 00:00:30.</summary>
    [Parameter]
    public string? HealthInterval { get; set; }

    [Parameter]
    public string? HealthTimeout { get; set; }

    [Parameter]
    public string? HealthStartPeriod { get; set; }

    [Parameter]
    public int? HealthRetries { get; set; }

    [Parameter]
    public SwitchParameter NoHealthcheck { get; set; }

    /// <summary>Removed once it exits (docker's --rm).</summary>
    [Parameter]
    [Alias("Remove", "Rm")]
    public SwitchParameter AutoRemove { get; set; }

    [Parameter]
    public string[]? CapAdd { get; set; }

    [Parameter]
    public string[]? CapDrop { get; set; }

    /// <summary>Every capability and device, no seccomp filter, no masked paths.</summary>
    [Parameter]
    public SwitchParameter Privileged { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(SignalCompleter))]
    [ValidateNotNullOrEmpty]
    public string? StopSignal { get; set; }

    /// <summary>Seconds a stop that names no -Timeout waits after the stop signal (docker --stop-timeout).</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? StopTimeout { get; set; }

    /// <summary>none, host, bridge, container:&lt;name or id&gt;, or a network's name (docker's --network).</summary>
    [Parameter]
    [ArgumentCompleter(typeof(NetworkModeCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Network { get; set; }

    /// <summary>[ip:][hostPort:]containerPort[/protocol], as docker's -p.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Publish { get; set; }

    /// <summary>Every port the image exposes, to free host ports (docker's -P).</summary>
    [Parameter]
    public SwitchParameter PublishAll { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? IPAddress { get; set; }

    /// <summary>More names on its network (docker's --network-alias).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Alias { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Domainname { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Dns { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? DnsSearch { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? DnsOption { get; set; }

    /// <summary>name:address lines for /etc/hosts (docker's --add-host).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? AddHost { get; set; }

    /// <summary>[source:]target[:options], as docker's -v: /host/dir:/data:ro, name:/data (a named volume), /data (an anonymous one).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Volume { get; set; }

    /// <summary>docker's --mount: type=bind,source=/srv,target=/data,readonly, or the same as a hashtable.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public object[]? Mount { get; set; }

    /// <summary>target[:options]: /run:size=64m,mode=1777.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Tmpfs { get; set; }

    /// <summary>Containers whose mounts it gets too, name[:ro|rw].</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? VolumesFrom { get; set; }

    /// <summary>A user namespace's uid ranges, container:host:size (podman's --uidmap): 0:100000:65536.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? UidMap { get; set; }

    /// <summary>Its gid ranges (podman's --gidmap); the uid map when left out.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? GidMap { get; set; }

    /// <summary>Whose IPC namespace it has (docker --ipc): private, shareable, host, container:NAME.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(NamespaceModeCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Ipc { get; set; }

    /// <summary>Whose PID namespace it has (docker --pid): private, host, container:NAME.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(NamespaceModeCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Pid { get; set; }

    /// <summary>-Volume, -Mount and -Tmpfs, read by the engine's parser; relative bind sources from the current location.</summary>
    private List<Container.Runtime.Volumes.ContainerMount>? Mounts()
    {
        if (Volume == null && Mount == null && Tmpfs == null)
            return null;
        var location = SessionState.Path.CurrentFileSystemLocation.ProviderPath;
        return
        [
            .. (Volume ?? []).Select(v => MountParser.ParseVolume(v, location, WriteWarning)),
            .. (Mount ?? []).Select(m => m is PSObject { BaseObject: var inner } ? inner : m).Select(m => m is IDictionary table ? MountParser.FromDictionary(table) : MountParser.ParseMount(m.ToString() ?? "")),
            .. (Tmpfs ?? []).Select(MountParser.ParseTmpfs),
        ];
    }

    /// <summary>The container's spec, its image pulled first as -Pull says (once every parameter is known to be good).</summary>
    protected ContainerSpec Spec(bool autoRemove)
    {
        var spec = GivenSpec(autoRemove);
        var platform = Platform != null ? ImagePlatform.Parse(Platform) : null;
        return spec with
        {
            Image = Engine.Registries.Stored(Image, Pull) ?? WithProgress(2, progress => Engine.Registries.PullForContainer(Image, platform, progress, Cancellation)),
        };
    }

    private ContainerSpec GivenSpec(bool autoRemove) => new()
    {
        Image = Image,
        Name = Name,
        Command = Command,
        Entrypoint = Entrypoint,
        Environment = HashtableConversion.ToDictionary(Environment),
        WorkingDirectory = WorkingDirectory,
        User = User,
        Hostname = Hostname,
        Labels = HashtableConversion.ToDictionary(Label),
        Runtime = Runtime,
        ReadOnlyRootfs = ReadOnly,
        Tty = Tty,
        Interactive = Interactive,
        Init = Init,
        RestartPolicy = RestartPolicy == null ? null : Container.Runtime.Containers.RestartPolicy.Parse(RestartPolicy),
        Healthcheck = HealthCommand == null ? null : Healthcheck.Parse(HealthCommand, HealthInterval, HealthTimeout, HealthStartPeriod, HealthRetries),
        DisableHealthcheck = NoHealthcheck,
        AutoRemove = autoRemove,
        CapAdd = CapAdd,
        CapDrop = CapDrop,
        Privileged = Privileged,
        Limits = GivenLimits().ToLimits(),
        StopSignal = StopSignal,
        StopTimeout = Seconds(StopTimeout),
        Network = Network,
        Publish = Publish,
        PublishAll = PublishAll,
        IPAddress = IPAddress,
        Alias = Alias,
        Domainname = Domainname,
        Dns = Dns,
        DnsSearch = DnsSearch,
        DnsOption = DnsOption,
        AddHost = AddHost,
        Mounts = Mounts(),
        VolumesFrom = VolumesFrom,
        UidMap = UidMap,
        GidMap = GidMap,
        Ipc = Ipc,
        Pid = Pid,
    };
}
