using System.Globalization;
using Container.Runtime.Containers;
using Container.Runtime.Networks;
using Container.Runtime.Volumes;
using k8s.Models;

namespace Container.Runtime.Kubernetes;

/// <summary>One container's spec as a Kubernetes container, and the pod volumes its mounts need.</summary>
internal static class KubeContainers
{
    public static V1Container ToKube(ContainerSpec spec, string name, IDictionary<string, V1Volume> volumes, ICollection<string> warnings)
    {
        var container = new V1Container
        {
            Name = name,
            Image = spec.Image,
            // Kubernetes' command is the image's ENTRYPOINT replaced, args its CMD
            Command = spec.Entrypoint?.ToList(),
            // a command given without args drops the image's CMD, as a new entrypoint does in ours
            Args = spec.Command is { Count: > 0 } args ? args.ToList() : null,
            WorkingDir = spec.WorkingDirectory,
            Env = spec.Environment is { Count: > 0 } environment ? environment.Select(e => new V1EnvVar { Name = e.Key, Value = e.Value }).ToList() : null,
            Ports = Ports(spec, warnings),
            Resources = Resources(spec.Limits, name, warnings),
            LivenessProbe = spec.Healthcheck is { } healthcheck ? Probe(healthcheck) : null,
            SecurityContext = SecurityContext(spec, name, warnings),
            VolumeMounts = Mounts(spec.Mounts ?? [], volumes, warnings),
            Tty = spec.Tty ? true : null,
            Stdin = spec.Interactive ? true : null,
        };
        return container;
    }

    private static List<V1ContainerPort>? Ports(ContainerSpec spec, ICollection<string> warnings)
    {
        if (spec.PublishAll)
            warnings.Add($"Container '{spec.Name}': -PublishAll's ports are chosen at start; only the ports it names are written.");
        var ports = PortPublishing.Parse(spec.Publish ?? [], publishAll: false, exposed: null)
            .Select(p => new V1ContainerPort
            {
                ContainerPort = p.ContainerPort,
                HostPort = p.HostPort == 0 ? null : p.HostPort,
                HostIP = p.HostIp.Length > 0 ? p.HostIp : null,
                // TCP is Kubernetes' default: written only when it is not
                Protocol = p.Protocol == "udp" ? "UDP" : null,
            })
            .ToList();
        return ports.Count > 0 ? ports : null;
    }

    private static V1ResourceRequirements? Resources(ResourceLimits? limits, string name, ICollection<string> warnings)
    {
        if (limits == null)
            return null;
        var list = new Dictionary<string, ResourceQuantity>();
        if (limits.Memory is { } memory and > 0)
            list["memory"] = KubeQuantities.Memory(memory);
        if (limits.Cpus is { } cpus and > 0)
            list["cpu"] = KubeQuantities.Cpus(cpus);
        var left = ResourceLimits.Describe(limits).Where(l => l.Value != "(none)" && l.Name is not ("Memory" or "Cpus")).Select(l => l.Name).ToList();
        if (left.Count > 0)
            warnings.Add($"Container '{name}': Kubernetes has no limit for {string.Join(", ", left)}; left out.");
        return list.Count > 0 ? new V1ResourceRequirements { Limits = list } : null;
    }

    /// <summary>The healthcheck as a liveness probe: Kubernetes counts in whole seconds (at least 1).</summary>
    public static V1Probe Probe(Healthcheck healthcheck) => new()
    {
        Exec = new V1ExecAction { Command = [.. healthcheck.Command] },
        PeriodSeconds = Seconds(healthcheck.Interval),
        TimeoutSeconds = Seconds(healthcheck.Timeout),
        FailureThreshold = healthcheck.Retries,
        InitialDelaySeconds = healthcheck.StartPeriod > TimeSpan.Zero ? (int)Math.Ceiling(healthcheck.StartPeriod.TotalSeconds) : null,
    };

    private static int Seconds(TimeSpan span) => Math.Max(1, (int)Math.Ceiling(span.TotalSeconds));

    private static V1SecurityContext? SecurityContext(ContainerSpec spec, string name, ICollection<string> warnings)
    {
        var context = new V1SecurityContext();
        if (spec.User is { Length: > 0 } user)
        {
            var parts = user.Split(':', 2);
            if (long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var uid))
                context.RunAsUser = uid;
            else
                warnings.Add($"Container '{name}': the user '{parts[0]}' is a name; Kubernetes takes only a uid (runAsUser), so it is left out.");
            if (parts.Length == 2)
            {
                if (long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var gid))
                    context.RunAsGroup = gid;
                else
                    warnings.Add($"Container '{name}': the group '{parts[1]}' is a name; Kubernetes takes only a gid (runAsGroup), so it is left out.");
            }
        }
        if (spec.Privileged)
            context.Privileged = true;
        else if (spec.CapAdd is { Count: > 0 } || spec.CapDrop is { Count: > 0 })
            context.Capabilities = new V1Capabilities
            {
                // Kubernetes names them without CAP_
                Add = spec.CapAdd is { Count: > 0 } add ? add.Select(CapabilityName).ToList() : null,
                Drop = spec.CapDrop is { Count: > 0 } drop ? drop.Select(CapabilityName).ToList() : null,
            };
        if (spec.ReadOnlyRootfs)
            context.ReadOnlyRootFilesystem = true;
        return context.RunAsUser != null || context.RunAsGroup != null || context.Privileged != null || context.Capabilities != null || context.ReadOnlyRootFilesystem != null
            ? context
            : null;
    }

    private static string CapabilityName(string capability)
    {
        var upper = capability.Trim().ToUpperInvariant();
        return upper.StartsWith("CAP_", StringComparison.Ordinal) ? upper[4..] : upper;
    }

    private static List<V1VolumeMount>? Mounts(IReadOnlyList<ContainerMount> mounts, IDictionary<string, V1Volume> volumes, ICollection<string> warnings)
    {
        var result = new List<V1VolumeMount>();
        foreach (var mount in mounts)
        {
            var volume = mount.Type switch
            {
                MountType.Bind => new V1Volume
                {
                    Name = KubeNames.HostPathVolume(mount.Source!),
                    HostPath = new V1HostPathVolumeSource { Path = mount.Source, Type = mount.CreateSource ? "DirectoryOrCreate" : HostPathType(mount.Source!) },
                },
                MountType.Volume when mount.Anonymous => new V1Volume { Name = KubeNames.Label(mount.Target.Trim('/')) + "-empty", EmptyDir = new V1EmptyDirVolumeSource() },
                MountType.Volume => new V1Volume
                {
                    Name = KubeNames.ClaimVolume(mount.Source!),
                    PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = mount.Source, ReadOnlyProperty = mount.ReadOnly ? true : null },
                },
                _ => new V1Volume
                {
                    Name = KubeNames.Label(mount.Target.Trim('/')) + "-tmpfs",
                    EmptyDir = new V1EmptyDirVolumeSource { Medium = "Memory", SizeLimit = mount.TmpfsSize is { } size ? KubeQuantities.Memory(size) : null },
                },
            };
            if (mount.Propagation is { } propagation && propagation is not ("rprivate" or "private"))
                warnings.Add($"Mount {mount.Target}: its propagation '{propagation}' is left out.");
            volumes.TryAdd(volume.Name, volume);
            result.Add(new V1VolumeMount
            {
                Name = volume.Name,
                MountPath = mount.Target,
                ReadOnlyProperty = mount.ReadOnly ? true : null,
                SubPath = mount.Subpath,
            });
        }
        return result.Count > 0 ? result : null;
    }

    /// <summary>What the host path is now, as podman writes it: a directory, a file, or one to make.</summary>
    private static string HostPathType(string path) =>
        Directory.Exists(path) ? "Directory" : File.Exists(path) ? "File" : "DirectoryOrCreate";
}
