using System.Globalization;
using Container.Runtime.Compose.Loading;
using Container.Runtime.Containers;
using Container.Runtime.Volumes;

namespace Container.Runtime.Compose;

/// <summary>
/// A service's containers as docker compose makes them: named &lt;project&gt;-&lt;service&gt;-&lt;n&gt;
/// (or container_name), labelled with the project, the service, the number and the config
/// hash, on the project's networks (&lt;project&gt;_&lt;network&gt;) with the service's name as an
/// alias, its named volumes the project's (&lt;project&gt;_&lt;volume&gt;). Pure: the spec only.
/// </summary>
public static class ServiceContainers
{
    /// <summary>The name of a service's container by its number.</summary>
    public static string NameOf(ComposeProject project, ComposeService service, int number) =>
        service.ContainerName ?? $"{project.Name}-{service.Name}-{number}";

    /// <summary>The name a container being made anew has until it is removed: &lt;its short id&gt;_&lt;name&gt;, as docker compose renames it (once).</summary>
    public static string ReplacedName(ContainerInfo old) =>
        old.Name.StartsWith(old.ShortId + "_", StringComparison.Ordinal) ? old.Name : $"{old.ShortId}_{old.Name}";

    /// <summary>The image a service runs: its own, else the one its build makes (&lt;project&gt;-&lt;service&gt;, as docker compose v2 tags it).</summary>
    public static string ImageOf(ComposeProject project, ComposeService service) =>
        service.Image ?? $"{project.Name}-{service.Name}";

    /// <summary>How many containers the service runs (deploy.replicas, else one).</summary>
    public static int ReplicasOf(ComposeService service) => service.Deploy?.Replicas ?? 1;

    /// <param name="containerOf">The container a network_mode, ipc or pid service:NAME joins: the first of that service's.</param>
    /// <param name="projectDirectory">Where up writes the project's secrets and configs (<see cref="ServiceFiles"/>), bound at their targets; null: they are not mounted (Kubernetes mounts them its own way).</param>
    public static ContainerSpec SpecOf(ComposeProject project, ComposeService service, int number, Func<string, string> containerOf, string? projectDirectory = null)
    {
        var networks = service.Networks.OrderBy(n => n.Value.Priority ?? 0).ToList();
        var first = networks.Count > 0 ? networks[0] : (KeyValuePair<string, ServiceNetwork>?)null;
        var healthcheck = service.Healthcheck;
        return new ContainerSpec
        {
            Image = ImageOf(project, service),
            Name = NameOf(project, service, number),
            Command = service.Command?.Words,
            Entrypoint = service.Entrypoint?.Words,
            Environment = service.Environment.Where(e => e.Value != null).ToDictionary(e => e.Key, e => e.Value!, StringComparer.Ordinal),
            WorkingDirectory = service.WorkingDir,
            User = service.User,
            Hostname = service.Hostname,
            Domainname = service.Domainname,
            Labels = LabelsOf(project, service, number),
            ReadOnlyRootfs = service.ReadOnly,
            Tty = service.Tty,
            Interactive = service.StdinOpen,
            Init = service.Init == true,
            Privileged = service.Privileged,
            RestartPolicy = service.Restart is { } restart ? RestartPolicy.Parse(restart) : null,
            Healthcheck = healthcheck is { Disable: false, Test.Count: > 0 } ? HealthcheckOf(healthcheck) : null,
            DisableHealthcheck = healthcheck?.Disable == true,
            CapAdd = service.CapAdd.Count > 0 ? service.CapAdd : null,
            CapDrop = service.CapDrop.Count > 0 ? service.CapDrop : null,
            Limits = LimitsOf(service),
            StopSignal = service.StopSignal,
            // the container keeps it: down, stop and restart, which read no compose file, wait as long
            StopTimeout = service.StopGracePeriod,
            Network = service.NetworkMode == null ? first is { } network ? project.Networks[network.Key].Name : null : Joined(service.NetworkMode, containerOf),
            Ipc = service.Ipc is { } ipc ? Joined(ipc, containerOf) : null,
            Pid = service.Pid is { } pid ? Joined(pid, containerOf) : null,
            IPAddress = first?.Value.Ipv4Address,
            Alias = first is { } aliased ? [service.Name, .. aliased.Value.Aliases] : null,
            Publish = service.Ports.Count > 0 ? service.Ports.Select(PublishOf).ToList() : null,
            Dns = service.Dns.Count > 0 ? service.Dns : null,
            DnsSearch = service.DnsSearch.Count > 0 ? service.DnsSearch : null,
            AddHost = service.ExtraHosts.Count > 0 ? service.ExtraHosts.Select(h => h.Replace('=', ':')).ToList() : null,
            Mounts = [.. MountsOf(project, service), .. projectDirectory != null ? ServiceFiles.MountsOf(project, service, projectDirectory) : []],
        };
    }

    /// <summary>A namespace mode as the engine takes it: service:NAME is that service's first container; the rest (host, container:NAME...) as written.</summary>
    private static string Joined(string mode, Func<string, string> containerOf) =>
        ServiceReferences.ServiceOf(mode) is { } other ? NamespaceModes.ContainerPrefix + containerOf(other) : mode;

    /// <summary>The networks after the first, which the container joins once made: their names and the service's aliases and address there.</summary>
    public static IReadOnlyList<(string Network, string? Address, IReadOnlyList<string> Aliases)> OtherNetworksOf(ComposeProject project, ComposeService service) =>
        service.NetworkMode != null
            ? []
            : service.Networks.OrderBy(n => n.Value.Priority ?? 0).Skip(1)
                .Select(n => (project.Networks[n.Key].Name, n.Value.Ipv4Address, (IReadOnlyList<string>)[service.Name, .. n.Value.Aliases]))
                .ToList();

    private static Dictionary<string, string> LabelsOf(ComposeProject project, ComposeService service, int number)
    {
        var labels = new Dictionary<string, string>(service.Labels, StringComparer.Ordinal)
        {
            [ComposeLabels.Project] = project.Name,
            [ComposeLabels.Service] = service.Name,
            [ComposeLabels.ContainerNumber] = number.ToString(CultureInfo.InvariantCulture),
            [ComposeLabels.ConfigHash] = service.ConfigHash,
            [ComposeLabels.Config] = ConfigFingerprint.Counted(service),
            [ComposeLabels.OneOff] = "False",
            [ComposeLabels.WorkingDirectory] = project.WorkingDirectory,
            [ComposeLabels.ConfigFiles] = string.Join(',', project.Files),
            [ComposeLabels.Image] = ImageOf(project, service),
            [ComposeLabels.Version] = ComposeLabels.SpecificationVersion,
        };
        if (service.DependsOn.Count > 0)
            labels[ComposeLabels.DependsOn] = string.Join(',', service.DependsOn.Select(d => $"{d.Key}:{Condition(d.Value.Condition)}:{d.Value.Restart.ToString().ToLowerInvariant()}"));
        return labels;
    }

    private static string Condition(DependencyCondition condition) => condition switch
    {
        DependencyCondition.ServiceHealthy => "service_healthy",
        DependencyCondition.ServiceCompletedSuccessfully => "service_completed_successfully",
        _ => "service_started",
    };

    /// <summary>A healthcheck's test as docker takes it: CMD-SHELL through the shell, CMD as its words; the rest as docker's defaults.</summary>
    private static Healthcheck HealthcheckOf(ServiceHealthcheck healthcheck)
    {
        IReadOnlyList<string> command = healthcheck.Test[0] switch
        {
            "CMD-SHELL" => ["/bin/sh", "-c", string.Join(' ', healthcheck.Test.Skip(1))],
            "CMD" => healthcheck.Test.Skip(1).ToList(),
            _ => ["/bin/sh", "-c", string.Join(' ', healthcheck.Test)],
        };
        var defaults = new Healthcheck { Command = command };
        return defaults with
        {
            Interval = healthcheck.Interval ?? defaults.Interval,
            Timeout = healthcheck.Timeout ?? defaults.Timeout,
            StartPeriod = healthcheck.StartPeriod ?? defaults.StartPeriod,
            Retries = healthcheck.Retries ?? defaults.Retries,
        };
    }

    /// <summary>deploy.resources.limits over the older mem_limit, cpus and pids_limit; null when the service sets none.</summary>
    private static ResourceLimits? LimitsOf(ComposeService service)
    {
        var limits = service.Deploy?.Limits;
        var memory = limits?.Memory ?? service.MemLimit;
        var cpus = limits?.Cpus ?? service.Cpus;
        var pids = limits?.Pids ?? service.PidsLimit;
        var reservation = service.Deploy?.Reservations?.Memory ?? service.MemReservation;
        return memory == null && cpus == null && pids == null && reservation == null
            ? null
            : new ResourceLimits { Memory = memory, Cpus = cpus, PidsLimit = pids, MemoryReservation = reservation };
    }

    /// <summary>A port as docker run's --publish writes it: [host ip:][published:]target[/protocol].</summary>
    private static string PublishOf(ServicePort port)
    {
        var host = port.HostIp is { } ip ? (ip.Contains(':') ? $"[{ip}]:" : ip + ":") : "";
        var published = port.Published is { } value ? value + ":" : host.Length > 0 ? ":" : "";
        return $"{host}{published}{port.Target}/{port.Protocol}";
    }

    private static List<ContainerMount> MountsOf(ComposeProject project, ComposeService service)
    {
        var mounts = service.Volumes.Select(volume => volume.Type switch
        {
            VolumeType.Volume => new ContainerMount
            {
                Type = MountType.Volume,
                // a source the project declares is the project's; none is an anonymous volume
                Source = volume.Source is { } name ? project.Volumes.TryGetValue(name, out var declared) ? declared.Name : name : null,
                Target = volume.Target, ReadOnly = volume.ReadOnly, Subpath = volume.Volume?.Subpath, Anonymous = volume.Source == null,
            },
            VolumeType.Bind => new ContainerMount
            {
                Type = MountType.Bind, Source = volume.Source, Target = volume.Target, ReadOnly = volume.ReadOnly,
                CreateSource = volume.Bind?.CreateHostPath ?? true,
            },
            VolumeType.Tmpfs => new ContainerMount { Type = MountType.Tmpfs, Target = volume.Target, TmpfsSize = volume.Tmpfs?.Size },
            var other => throw Errors.Errors.InvalidArgument("ComposeVolumeTypeNotSupported",
                $"services.{service.Name}.volumes: a volume of type {other.ToString().ToLowerInvariant()} is not supported here.", volume.Target),
        }).ToList();
        foreach (var tmpfs in service.Tmpfs)
            mounts.Add(new ContainerMount { Type = MountType.Tmpfs, Target = tmpfs.Split(':')[0] });
        return mounts;
    }
}
