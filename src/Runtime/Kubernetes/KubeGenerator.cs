using Container.Runtime.Containers;
using Container.Runtime.Networks;
using k8s;
using k8s.Models;

namespace Container.Runtime.Kubernetes;

/// <summary>The objects a pod's containers are written as, and what they could not say.</summary>
public sealed record KubeDocuments(IReadOnlyList<IKubernetesObject> Objects, IReadOnlyList<string> Warnings);

/// <summary>
/// A pod's containers as Kubernetes objects, as podman kube generate writes them: a
/// PersistentVolumeClaim for each named volume, the Pod (or a Deployment of
/// <see cref="KubeOptions.Replicas"/>), the ConfigMap and Secret volumes its files need, and
/// with <see cref="KubeOptions.Service"/> a NodePort Service for its published ports.
/// </summary>
public static class KubeGenerator
{
    /// <summary>The label that ties a pod to its Deployment and Service, as podman writes it.</summary>
    public const string AppLabel = "app";

    /// <summary>A claim's size when nothing says one (podman's).</summary>
    public const string ClaimSize = "1Gi";

    public static KubeDocuments Generate(PodDescription pod, KubeOptions options)
    {
        if (pod.Containers.Count == 0)
            throw Errors.Errors.InvalidArgument("NoContainers", "A pod needs at least one container.", pod.Name);
        var warnings = new List<string>();
        var volumes = new Dictionary<string, V1Volume>();
        var names = new List<string>();
        var annotations = new Dictionary<string, string>();
        var containers = new List<V1Container>();
        foreach (var spec in pod.Containers)
        {
            var name = Unique(KubeNames.Label(spec.Name ?? "container"), names);
            names.Add(name);
            containers.Add(KubeContainers.ToKube(spec, name, volumes, warnings));
            foreach (var (key, value) in spec.Labels ?? new Dictionary<string, string>())
                annotations[$"{key}/{name}"] = value;
            WarnOfWhatIsLeftOut(spec, name, spec == pod.Containers[0], warnings);
        }
        warnings.AddRange(PodNamespaces.WhatIsLeftOut(pod, names));
        MountFiles(pod.Files, containers, volumes);
        var first = pod.Containers[0];
        var labels = new Dictionary<string, string> { [AppLabel] = pod.Name };
        var podSpec = new V1PodSpec
        {
            Containers = containers,
            Volumes = volumes.Count > 0 ? [.. volumes.Values] : null,
            HostNetwork = first.Network == NetworkOptions.Host ? true : null,
            HostPID = PodNamespaces.HostPid(pod) ? true : null,
            HostIPC = PodNamespaces.HostIpc(pod) ? true : null,
            ShareProcessNamespace = PodNamespaces.ShareProcesses(pod) ? true : null,
            // a pod has one hostname: its first container's, where it is one Kubernetes takes
            Hostname = KubeNames.IsLabel(first.Hostname) ? first.Hostname : null,
            // a Deployment's pods are always restarted: Kubernetes takes nothing else there
            RestartPolicy = options.Kind == KubeKind.Deployment ? "Always" : RestartPolicyOf(first.RestartPolicy),
        };
        var metadata = new V1ObjectMeta { Name = pod.Name, Labels = labels, Annotations = annotations.Count > 0 ? annotations : null };
        var objects = new List<IKubernetesObject>();
        objects.AddRange(volumes.Values.Where(v => v.PersistentVolumeClaim != null).Select(v => Claim(v.PersistentVolumeClaim.ClaimName)));
        objects.Add(options.Kind == KubeKind.Deployment
            ? new V1Deployment
            {
                ApiVersion = "apps/v1",
                Kind = "Deployment",
                Metadata = new V1ObjectMeta { Name = $"{pod.Name}-deployment", Labels = new Dictionary<string, string>(labels) },
                Spec = new V1DeploymentSpec
                {
                    Replicas = options.Replicas,
                    Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string>(labels) },
                    Template = new V1PodTemplateSpec { Metadata = metadata, Spec = podSpec },
                },
            }
            : new V1Pod { ApiVersion = "v1", Kind = "Pod", Metadata = metadata, Spec = podSpec });
        if (options.Service && Service(pod.Name, containers) is { } service)
            objects.Add(service);
        return new KubeDocuments(objects, warnings);
    }

    /// <summary>Each file in every container, read-only at its target, from one volume per object that lists the keys it needs.</summary>
    private static void MountFiles(IReadOnlyList<KubeFileMount> files, List<V1Container> containers, Dictionary<string, V1Volume> volumes)
    {
        foreach (var file in files)
        {
            if (!volumes.TryGetValue(file.VolumeName, out var volume))
            {
                volume = file.Source == KubeFileSource.Secret
                    ? new V1Volume { Name = file.VolumeName, Secret = new V1SecretVolumeSource { SecretName = file.ObjectName, Items = [] } }
                    : new V1Volume { Name = file.VolumeName, ConfigMap = new V1ConfigMapVolumeSource { Name = file.ObjectName, Items = [] } };
                volumes.Add(file.VolumeName, volume);
            }
            var items = volume.Secret?.Items ?? volume.ConfigMap.Items;
            // a key mounted twice with two modes is two paths of the same volume
            var path = file.Mode is { } mode && items.Any(i => i.Key == file.Key && i.Mode != mode) ? $"{file.Key}-{Convert.ToString(mode, 8)}" : file.Key;
            if (!items.Any(i => i.Path == path))
                items.Add(new V1KeyToPath { Key = file.Key, Path = path, Mode = file.Mode });
            foreach (var container in containers)
                (container.VolumeMounts ??= []).Add(new V1VolumeMount { Name = file.VolumeName, MountPath = file.Target, SubPath = path, ReadOnlyProperty = true });
        }
    }

    private static string Unique(string name, List<string> taken)
    {
        var unique = name;
        for (var n = 2; taken.Contains(unique); n++)
            unique = $"{name}-{n}";
        return unique;
    }

    /// <summary>no: Never, on-failure: OnFailure, always and unless-stopped: Always (Kubernetes has no retry count).</summary>
    public static string RestartPolicyOf(RestartPolicy? policy) => (policy ?? RestartPolicy.None).Mode switch
    {
        RestartMode.OnFailure => "OnFailure",
        RestartMode.Always or RestartMode.UnlessStopped => "Always",
        _ => "Never",
    };

    private static void WarnOfWhatIsLeftOut(ContainerSpec spec, string name, bool first, List<string> warnings)
    {
        if (!first && spec.Network is { } network && !network.StartsWith(NetworkOptions.ContainerPrefix, StringComparison.Ordinal))
            warnings.Add($"Container '{name}': in a pod it shares the first container's network namespace, not its own ({network}).");
        if (spec.RestartPolicy is { Mode: RestartMode.OnFailure, MaxRetries: > 0 })
            warnings.Add($"Container '{name}': Kubernetes' OnFailure has no retry count; {spec.RestartPolicy} is written as OnFailure.");
        if (spec.Dns is { Count: > 0 } || spec.DnsSearch is { Count: > 0 } || spec.AddHost is { Count: > 0 })
            warnings.Add($"Container '{name}': its DNS servers, search domains and host entries are left out.");
        if (spec.UidMap is { Count: > 0 })
            warnings.Add($"Container '{name}': its user namespace maps are left out.");
    }

    private static V1PersistentVolumeClaim Claim(string name) => new()
    {
        ApiVersion = "v1",
        Kind = "PersistentVolumeClaim",
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PersistentVolumeClaimSpec
        {
            AccessModes = ["ReadWriteOnce"],
            Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new(ClaimSize) } },
        },
    };

    /// <summary>
    /// A NodePort Service for each container port, as podman writes it; its node port the host
    /// port where that is in Kubernetes' node port range (else the cluster picks one). The pod keeps its host ports, so it runs on one host as it did.
    /// </summary>
    private static V1Service? Service(string podName, IEnumerable<V1Container> containers)
    {
        var ports = containers.SelectMany(c => c.Ports ?? []).Select(p => new V1ServicePort
        {
            Name = $"{p.ContainerPort}-{(p.Protocol ?? "TCP").ToLowerInvariant()}",
            Port = p.ContainerPort,
            TargetPort = p.ContainerPort,
            Protocol = p.Protocol ?? "TCP",
            NodePort = p.HostPort is >= NodePortMin and <= NodePortMax ? p.HostPort : null,
        }).DistinctBy(p => p.Name).ToList();
        return ports.Count == 0
            ? null
            : new V1Service
            {
                ApiVersion = "v1",
                Kind = "Service",
                Metadata = new V1ObjectMeta { Name = podName, Labels = new Dictionary<string, string> { [AppLabel] = podName } },
                Spec = new V1ServiceSpec { Type = "NodePort", Selector = new Dictionary<string, string> { [AppLabel] = podName }, Ports = ports },
            };
    }

    /// <summary>Kubernetes' default node port range.</summary>
    public const int NodePortMin = 30000;

    public const int NodePortMax = 32767;
}
