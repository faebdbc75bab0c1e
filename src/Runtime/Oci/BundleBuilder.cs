using Container.Runtime.Containers;

namespace Container.Runtime.Oci;

/// <summary>How a container's bundle differs from the defaults.</summary>
public sealed record BundleOptions
{
    public required ResolvedUser User { get; init; }

    /// <summary>The capability set (default, with additions and drops applied).</summary>
    public required IReadOnlyList<string> Capabilities { get; init; }

    public bool Privileged { get; init; }

    public bool ReadOnlyRootfs { get; init; }

    public ResourceLimits? Limits { get; init; }

    /// <summary>The host's container-init, for a container run with an init; null without.</summary>
    public string? InitPath { get; init; }

    /// <summary>Its network namespace and /etc files; null is a new namespace with only loopback and the image's files.</summary>
    public Networks.BundleNetwork? Network { get; init; }

    /// <summary>The user's binds, volumes and tmpfs mounts, parents first; one on a default mount's destination replaces it.</summary>
    public IReadOnlyList<MountSpec> Mounts { get; init; } = [];
}

/// <summary>
/// Writes the OCI runtime config (config.json) for a container: its process from the
/// record, Docker's secure defaults for the rest. The same bundle runs under our core,
/// crun or runc.
/// </summary>
public static class BundleBuilder
{
    /// <summary>The cgroup of a container, under one parent the project owns.</summary>
    public static string CgroupPath(string id) => $"/container/{id}";

    /// <summary>Where container-init is bound in a container run with one: /dev is the runtime's own tmpfs, so the mount point can be made even on a read-only root.</summary>
    public const string InitDestination = "/dev/init";

    public static RuntimeSpec Build(ContainerRecord record, BundleOptions options)
    {
        var capabilities = options.Privileged ? [.. Capabilities.Available] : options.Capabilities.ToList();
        var environment = new List<string>(record.Environment);
        ProcessEnvironment.SetDefault(environment, "HOSTNAME", record.Hostname);
        ProcessEnvironment.SetDefault(environment, "HOME", options.User.Home);
        if (record.Tty)
            ProcessEnvironment.SetDefault(environment, "TERM", ProcessEnvironment.Terminal);
        var resources = new ResourcesSpec
        {
            Devices = options.Privileged ? [new DeviceRuleSpec { Allow = true, Access = "rwm" }] : SecurityDefaults.DeviceRules(),
        };
        options.Limits?.ApplyTo(resources);
        var mounts = SecurityDefaults.Mounts();
        if (options.Privileged)
            foreach (var mount in mounts.Where(m => m.Destination is "/sys" or "/sys/fs/cgroup"))
                mount.Options = mount.Options?.Where(o => o != "ro").Append("rw").ToList();
        if (OwnsNoNetworkNamespace(record, options.Network))
        {
            // a sysfs needs the network namespace's owner: the host's /sys bound instead, read-only all the way down, as podman binds it
            foreach (var mount in mounts.Where(m => m.Destination == "/sys"))
                (mount.Type, mount.Source, mount.Options) = ("bind", "/sys", ["rbind", options.Privileged ? "rw" : "rro", "nosuid", "noexec", "nodev"]);
            // and its /sys/fs/cgroup comes with it: on cgroup v2 a cgroup2 of the same namespace mounted on that very one is refused (EBUSY)
            mounts.RemoveAll(m => m.Destination == "/sys/fs/cgroup");
        }
        var added = new List<MountSpec>();
        if (options.InitPath != null)
            added.Add(new MountSpec { Destination = InitDestination, Type = "bind", Source = options.InitPath, Options = ["bind", "ro", "nosuid", "nodev"] });
        if (options.Network != null)
            // writable, as docker mounts them: a container may edit its own hosts file
            foreach (var (file, destination) in Networks.EtcFiles.Mounts)
                added.Add(new MountSpec { Destination = destination, Type = "bind", Source = Path.Combine(options.Network.FilesDirectory, file), Options = ["rbind", "rprivate"] });
        added.RemoveAll(m => options.Mounts.Any(own => own.Destination == m.Destination));
        mounts.RemoveAll(m => options.Mounts.Any(own => own.Destination == m.Destination));
        // after the kernel's file systems, parents before what is mounted inside them, as docker
        // sorts them: a volume on /etc does not hide the hosts file (a stable sort keeps the rest's order)
        mounts.AddRange(added.Concat(options.Mounts).OrderBy(m => m.Destination.TrimEnd('/').Count(c => c == '/')));
        return new RuntimeSpec
        {
            OciVersion = "1.0.2",
            Root = new RootSpec { Path = "rootfs", Readonly = options.ReadOnlyRootfs },
            Hostname = record.Hostname,
            Process = new ProcessSpec
            {
                Terminal = record.Tty,
                Args = [.. options.InitPath != null ? [InitDestination] : Array.Empty<string>(), .. record.Entrypoint, .. record.Command],
                Env = environment,
                Cwd = record.WorkingDirectory,
                User = new UserSpec
                {
                    Uid = options.User.Uid,
                    Gid = options.User.Gid,
                    AdditionalGids = options.User.AdditionalGids.Count > 0 ? [.. options.User.AdditionalGids] : null,
                },
                NoNewPrivileges = !options.Privileged,
                Capabilities = new CapabilitiesSpec
                {
                    Bounding = [.. capabilities],
                    Effective = [.. capabilities],
                    Permitted = [.. capabilities],
                },
            },
            Mounts = mounts,
            Annotations = new Dictionary<string, string> { ["org.opencontainers.image.ref.name"] = record.Image },
            Linux = new LinuxSpec
            {
                Namespaces = Namespaces(options.Network, record),
                UidMappings = record.UserNamespace is { } users ? UserNamespace.Spec(users.Uid) : null,
                GidMappings = record.UserNamespace is { } groups ? UserNamespace.Spec(groups.Gid) : null,
                CgroupsPath = CgroupPath(record.Id),
                Devices = options.Privileged ? HostDevices() : null,
                Resources = resources,
                MaskedPaths = options.Privileged ? null : [.. SecurityDefaults.MaskedPaths],
                ReadonlyPaths = options.Privileged ? null : [.. SecurityDefaults.ReadonlyPaths],
                Seccomp = options.Privileged ? null : DefaultSeccompProfile.For(capabilities),
            },
        };
    }

    /// <summary>
    /// The namespaces of a container: the network one a new one, the one named, or none at all
    /// on the host's network; the IPC and PID ones its own, none (the host's), or another
    /// container's (its path set at each start); a user namespace of its own when it has id maps.
    /// </summary>
    private static List<NamespaceSpec> Namespaces(Networks.BundleNetwork? network, ContainerRecord record)
    {
        List<NamespaceSpec> namespaces = [new() { Type = "pid" }, new() { Type = "ipc" }, new() { Type = "uts" }, new() { Type = "mount" }, new() { Type = "cgroup" }];
        if (record.PidMode == NamespaceModes.Host)
            namespaces.RemoveAll(n => n.Type == "pid");
        if (record.IpcMode == NamespaceModes.Host)
            namespaces.RemoveAll(n => n.Type == "ipc");
        if (record.UserNamespace != null)
            namespaces.Add(new() { Type = "user" });
        if (network?.HostNetwork != true)
            namespaces.Insert(1, NetworkNamespace(network?.NamespacePath));
        return namespaces;
    }

    private static NamespaceSpec NetworkNamespace(string? path) => new() { Type = "network", Path = path };

    /// <summary>Whether a container has a user namespace of its own but no network namespace that namespace made: the host's, one of ours, another container's.</summary>
    private static bool OwnsNoNetworkNamespace(ContainerRecord record, Networks.BundleNetwork? network) =>
        record.UserNamespace != null && network != null
        && (network.HostNetwork || network.NamespacePath != null || record.NetworkMode.StartsWith(Networks.NetworkOptions.ContainerPrefix, StringComparison.Ordinal));

    private static List<DeviceSpec> HostDevices() =>
        Linux.Devices.OfHost().Select(d => new DeviceSpec
        {
            Path = d.Path,
            Type = d.Node.Block ? "b" : "c",
            Major = d.Node.Major,
            Minor = d.Node.Minor,
            FileMode = d.Node.Mode,
            Uid = d.Node.Uid,
            Gid = d.Node.Gid,
        }).ToList();
}
