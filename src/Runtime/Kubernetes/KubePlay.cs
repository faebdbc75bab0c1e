using System.Globalization;
using Container.Runtime.Containers;
using Container.Runtime.Networks;
using Container.Runtime.Volumes;
using k8s.Models;

namespace Container.Runtime.Kubernetes;

/// <summary>
/// Kubernetes objects as the containers that run them on this host, as podman kube play reads
/// them: a Pod's containers named &lt;pod&gt;-&lt;container&gt;, the first in a network namespace of
/// its own (or the host's, with hostNetwork) that the others join, its ports published from
/// hostPort and from the node ports of the Services that select it; one IPC namespace too (the
/// first's, or the host's with hostIPC), and one PID namespace with shareProcessNamespace (or the
/// host's with hostPID). A Deployment is its pod template played as the pod &lt;deployment&gt;-pod,
/// as podman names it, and for each replica after the first &lt;deployment&gt;-pod-&lt;n&gt; (n from 2;
/// podman plays one replica, Kubernetes all: here all are, only the first publishing host ports,
/// which would clash). hostPath volumes are binds, claims named volumes, emptyDirs anonymous
/// volumes or (medium Memory) tmpfs mounts; configMap and secret volumes are files of the YAML's
/// ConfigMaps and Secrets, bound read-only from a directory of the pod's (<see cref="PlayedPod"/>).
/// env valueFrom and envFrom read the same objects; a reference to one (or a key) that is missing
/// is an error before anything is made, unless it is optional.
/// </summary>
public static class KubePlay
{
    /// <param name="network">the network of a pod's first container when it is not the host's (null: the store's default)</param>
    public static PlayPlan Plan(IReadOnlyList<object> objects, string? network = null, IReadOnlyList<string>? readWarnings = null)
    {
        var warnings = new List<string>(readWarnings ?? []);
        var services = objects.OfType<V1Service>().ToList();
        var files = new KubeObjects(objects);
        var pods = new List<PlayedPod>();
        foreach (var item in objects)
        {
            switch (item)
            {
                case V1Pod pod:
                    pods.Add(Pod(pod.Metadata?.Name, pod.Metadata, pod.Spec, services, files, network, publish: true, warnings));
                    break;
                case V1Deployment deployment:
                    var template = deployment.Spec?.Template;
                    var replicas = deployment.Spec?.Replicas ?? 1;
                    if (replicas < 0)
                        throw Errors.Errors.InvalidArgument("InvalidKubernetesYaml", $"Deployment '{deployment.Metadata?.Name}' asks for {replicas} replicas.", deployment.Metadata?.Name);
                    if (replicas == 0)
                        warnings.Add($"Deployment '{deployment.Metadata?.Name}': 0 replicas asked for; no pod is played.");
                    // <deployment>-pod, as podman names it (Kubernetes ignores a template's own name); the other replicas -pod-2, -pod-3...
                    var baseName = string.IsNullOrEmpty(deployment.Metadata?.Name) ? null : $"{deployment.Metadata.Name}-pod";
                    for (var replica = 1; replica <= replicas; replica++)
                        pods.Add(Pod(baseName == null || replica == 1 ? baseName : $"{baseName}-{replica}", template?.Metadata, template?.Spec, services, files, network,
                            publish: replica == 1, warnings));
                    if (replicas > 1 && pods[^1].Containers[0].Network != NetworkOptions.Host
                        && template?.Spec?.Containers?.Any(c => c.Ports?.Any(p => p.HostPort != null) == true) == true)
                        warnings.Add($"Deployment '{deployment.Metadata?.Name}': only its first pod publishes host ports; the other {replicas - 1} would clash.");
                    break;
            }
        }
        if (pods.Count == 0 && !objects.Any(o => o is V1Deployment))
            throw Errors.Errors.InvalidArgument("NoPodInKubernetesYaml", "The YAML has no Pod and no Deployment to play.", null);
        var names = pods.Select(p => p.Name).GroupBy(n => n).FirstOrDefault(g => g.Count() > 1);
        if (names != null)
            throw Errors.Errors.InvalidArgument("InvalidKubernetesYaml", $"Two pods of the YAML are named '{names.Key}'.", names.Key);
        return new PlayPlan(pods, warnings);
    }

    private static PlayedPod Pod(string? name, V1ObjectMeta? metadata, V1PodSpec? spec, List<V1Service> services, KubeObjects files, string? network, bool publish,
        List<string> warnings)
    {
        if (string.IsNullOrEmpty(name))
            throw Errors.Errors.InvalidArgument("InvalidKubernetesYaml", "A pod of the YAML has no name (metadata.name).", null);
        if (spec?.Containers is not { Count: > 0 } containers)
            throw Errors.Errors.InvalidArgument("InvalidKubernetesYaml", $"Pod '{name}' has no containers.", name);
        if (spec.InitContainers is { Count: > 0 })
            warnings.Add($"Pod '{name}': its init containers are not played.");
        var labels = metadata?.Labels ?? new Dictionary<string, string>();
        var annotations = metadata?.Annotations ?? new Dictionary<string, string>();
        var volumes = (spec.Volumes ?? []).ToDictionary(v => v.Name);
        // every file of the pod's volumes read now: a missing object fails the plan, before anything is made
        var playedVolumes = volumes.Values.Select(v => KubeVolumeFiles.Of(v, name, files)).OfType<PlayedVolume>().ToList();
        var nodePorts = NodePorts(labels, services);
        var restart = RestartPolicyOf(spec.RestartPolicy);
        var first = KubeNames.PlayedContainer(name, containers[0].Name);
        var specs = new List<ContainerSpec>();
        foreach (var container in containers)
        {
            var own = specs.Count == 0;
            specs.Add(new ContainerSpec
            {
                Image = container.Image ?? throw Errors.Errors.InvalidArgument("InvalidKubernetesYaml", $"Container '{container.Name}' of pod '{name}' has no image.", name),
                Name = KubeNames.PlayedContainer(name, container.Name),
                Entrypoint = container.Command is { Count: > 0 } command ? [.. command] : null,
                Command = container.Args is { Count: > 0 } args ? [.. args] : container.Command is { Count: > 0 } ? [] : null,
                Environment = KubeEnvironment.Of(container, name, metadata, files, warnings),
                WorkingDirectory = string.IsNullOrEmpty(container.WorkingDir) ? null : container.WorkingDir,
                User = User(container.SecurityContext ?? null, spec.SecurityContext),
                // the joiners have the owner's, as a pod's containers have one
                Hostname = own ? spec.Hostname : null,
                Labels = Labels(labels, annotations, container.Name),
                RestartPolicy = restart,
                Healthcheck = Healthcheck(container.LivenessProbe, container, name, warnings),
                Limits = Limits(container.Resources),
                Privileged = container.SecurityContext?.Privileged == true,
                CapAdd = container.SecurityContext?.Capabilities?.Add?.ToList(),
                CapDrop = container.SecurityContext?.Capabilities?.Drop?.ToList(),
                ReadOnlyRootfs = container.SecurityContext?.ReadOnlyRootFilesystem == true,
                Tty = container.Tty == true,
                Interactive = container.Stdin == true,
                // one network namespace for the pod: the first container's, joined by the rest
                Network = !own ? NetworkOptions.ContainerPrefix + first : spec.HostNetwork == true ? NetworkOptions.Host : network,
                // published by the namespace's owner: every container's ports are the pod's
                Publish = own && publish && spec.HostNetwork != true ? Publish(containers, nodePorts) : null,
                // one IPC namespace for the pod, as Kubernetes' pods have: the first's, or the host's
                Ipc = spec.HostIPC == true ? NamespaceModes.Host : own ? null : NamespaceModes.ContainerPrefix + first,
                Pid = spec.HostPID == true ? NamespaceModes.Host : !own && spec.ShareProcessNamespace == true ? NamespaceModes.ContainerPrefix + first : null,
                Mounts = Mounts(container.VolumeMounts, volumes, name, warnings),
            });
        }
        if (spec.HostPID == true && spec.ShareProcessNamespace == true)
            warnings.Add($"Pod '{name}': hostPID and shareProcessNamespace both asked for; its containers share the host's PID namespace.");
        return new PlayedPod(name, specs) { Volumes = playedVolumes };
    }

    /// <summary>runAsUser[:runAsGroup], the container's over the pod's.</summary>
    private static string? User(V1SecurityContext? container, V1PodSecurityContext? pod)
    {
        var uid = container?.RunAsUser ?? pod?.RunAsUser;
        var gid = container?.RunAsGroup ?? pod?.RunAsGroup;
        return uid switch
        {
            null when gid != null => $"0:{gid}",
            null => null,
            _ => gid != null ? $"{uid}:{gid}" : uid.Value.ToString(CultureInfo.InvariantCulture),
        };
    }

    /// <summary>The pod's labels, and the annotations that name this container (&lt;label&gt;/&lt;container&gt;, as generate writes a container's own labels).</summary>
    private static Dictionary<string, string>? Labels(IDictionary<string, string> labels, IDictionary<string, string> annotations, string container)
    {
        var result = new Dictionary<string, string>(labels);
        var suffix = "/" + container;
        foreach (var (key, value) in annotations)
            if (key.EndsWith(suffix, StringComparison.Ordinal) && key.Length > suffix.Length)
                result[key[..^suffix.Length]] = value;
        return result.Count > 0 ? result : null;
    }

    /// <summary>Never: no, OnFailure: on-failure, Always or none: always (Kubernetes' default, and podman's).</summary>
    public static RestartPolicy RestartPolicyOf(string? policy) => policy switch
    {
        "Never" => RestartPolicy.None,
        "OnFailure" => new RestartPolicy(RestartMode.OnFailure),
        null or "" or "Always" => new RestartPolicy(RestartMode.Always),
        _ => throw Errors.Errors.InvalidArgument("InvalidKubernetesYaml", $"'{policy}' is not a restart policy: Always, OnFailure or Never.", policy),
    };

    /// <summary>
    /// The liveness probe as the healthcheck, as podman reads one: an exec probe its command; an
    /// HTTP probe curl -f of its URL, a TCP one nc -z of its port, run by the container's shell
    /// (localhost: the pod's network namespace is the container's).
    /// </summary>
    private static Healthcheck? Healthcheck(V1Probe? probe, V1Container container, string pod, List<string> warnings)
    {
        if (probe == null)
            return null;
        IReadOnlyList<string>? command = probe switch
        {
            { Exec.Command: { Count: > 0 } exec } => [.. exec],
            { HttpGet: { } http } => ["/bin/sh", "-c", $"curl -f {(http.Scheme ?? "HTTP").ToLowerInvariant()}://{(string.IsNullOrEmpty(http.Host) ? "localhost" : http.Host)}:{PortOf(http.Port, container)}{(string.IsNullOrEmpty(http.Path) ? "/" : http.Path)} || exit 1"],
            { TcpSocket: { } tcp } => ["/bin/sh", "-c", $"nc -z -v {(string.IsNullOrEmpty(tcp.Host) ? "localhost" : tcp.Host)} {PortOf(tcp.Port, container)} || exit 1"],
            _ => null,
        };
        if (command == null)
        {
            warnings.Add($"Container '{container.Name}' of pod '{pod}': its liveness probe (gRPC) is not played as a healthcheck.");
            return null;
        }
        var healthcheck = new Healthcheck
        {
            Command = command,
            // Kubernetes' defaults: every 10 s, 1 s to answer, 3 failures
            Interval = TimeSpan.FromSeconds(probe.PeriodSeconds ?? 10),
            Timeout = TimeSpan.FromSeconds(probe.TimeoutSeconds ?? 1),
            Retries = probe.FailureThreshold ?? 3,
            StartPeriod = TimeSpan.FromSeconds(probe.InitialDelaySeconds ?? 0),
        };
        healthcheck.Validate();
        return healthcheck;
    }

    /// <summary>A probe's port: a number, or the name of one of the container's ports.</summary>
    private static int PortOf(IntOrString? port, V1Container container)
    {
        var text = port?.Value ?? "";
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            return number;
        return container.Ports?.FirstOrDefault(p => p.Name == text)?.ContainerPort
            ?? throw Errors.Errors.InvalidArgument("InvalidKubernetesYaml", $"Container '{container.Name}' has no port named '{text}' for its probe.", text);
    }

    private static ResourceLimits? Limits(V1ResourceRequirements? resources)
    {
        if (resources?.Limits is not { Count: > 0 } limits)
            return null;
        return new ResourceLimits
        {
            Memory = limits.TryGetValue("memory", out var memory) ? KubeQuantities.Bytes(memory) : null,
            Cpus = limits.TryGetValue("cpu", out var cpu) ? KubeQuantities.CpusOf(cpu) : null,
        };
    }

    /// <summary>Node port by target port, of the NodePort Services whose selector picks the pod.</summary>
    private static Dictionary<(int Port, string Protocol), int> NodePorts(IDictionary<string, string> labels, List<V1Service> services)
    {
        var ports = new Dictionary<(int, string), int>();
        foreach (var service in services)
        {
            if (service.Spec?.Selector is not { Count: > 0 } selector || !selector.All(s => labels.TryGetValue(s.Key, out var value) && value == s.Value))
                continue;
            foreach (var port in service.Spec.Ports ?? [])
                if (port.NodePort is { } nodePort)
                    ports.TryAdd((TargetPort(port), (port.Protocol ?? "TCP").ToLowerInvariant()), nodePort);
        }
        return ports;
    }

    private static int TargetPort(V1ServicePort port) =>
        port.TargetPort?.Value is { } target && int.TryParse(target, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : port.Port;

    /// <summary>Each container port with a host port (its own, or a Service's node port for it) as -Publish takes it.</summary>
    private static List<string>? Publish(IList<V1Container> containers, Dictionary<(int Port, string Protocol), int> nodePorts)
    {
        var publish = new List<string>();
        foreach (var port in containers.SelectMany(c => c.Ports ?? []))
        {
            var protocol = (port.Protocol ?? "TCP").ToLowerInvariant();
            var hostPort = port.HostPort ?? (nodePorts.TryGetValue((port.ContainerPort, protocol), out var node) ? node : null);
            if (hostPort == null)
                continue;
            var address = port.HostIP is { Length: > 0 } ip ? (ip.Contains(':') ? $"[{ip}]:" : $"{ip}:") : "";
            publish.Add($"{address}{hostPort}:{port.ContainerPort}/{protocol}");
        }
        return publish.Count > 0 ? publish : null;
    }

    private static List<ContainerMount>? Mounts(IList<V1VolumeMount>? volumeMounts, Dictionary<string, V1Volume> volumes, string pod, List<string> warnings)
    {
        var mounts = new List<ContainerMount>();
        foreach (var mount in volumeMounts ?? [])
        {
            if (!volumes.TryGetValue(mount.Name, out var volume))
                throw Errors.Errors.InvalidArgument("InvalidKubernetesYaml", $"Pod '{pod}' mounts a volume '{mount.Name}' it does not have.", mount.Name);
            var readOnly = mount.ReadOnlyProperty == true;
            var subpath = string.IsNullOrEmpty(mount.SubPath) ? null : mount.SubPath;
            ContainerMount? made = volume switch
            {
                { HostPath.Path: { } hostPathText } when !Path.IsPathRooted(hostPathText) =>
                    throw Errors.Errors.InvalidArgument("InvalidKubernetesYaml", $"Pod '{pod}': the hostPath '{hostPathText}' of volume '{mount.Name}' is not absolute.", hostPathText),
                { HostPath: { } hostPath } => new ContainerMount
                {
                    Type = MountType.Bind,
                    // a subPath of a host directory is the directory under it
                    Source = subpath != null ? Path.Combine(hostPath.Path, subpath) : hostPath.Path,
                    Target = mount.MountPath,
                    ReadOnly = readOnly,
                    // DirectoryOrCreate (and no type, which checks nothing) make a missing directory, as podman does
                    CreateSource = hostPath.Type is null or "" or "DirectoryOrCreate",
                },
                { PersistentVolumeClaim: { } claim } => new ContainerMount
                {
                    Type = MountType.Volume,
                    Source = claim.ClaimName,
                    Target = mount.MountPath,
                    ReadOnly = readOnly || claim.ReadOnlyProperty == true,
                    Subpath = subpath,
                },
                { EmptyDir: { Medium: "Memory" } memory } => new ContainerMount
                {
                    Type = MountType.Tmpfs,
                    Target = mount.MountPath,
                    ReadOnly = readOnly,
                    TmpfsSize = memory.SizeLimit is { } size ? KubeQuantities.Bytes(size) : null,
                },
                // the play's files of the object (PlayedPod): always read-only, as Kubernetes mounts them
                { ConfigMap: not null } or { Secret: not null } when subpath?.Split('/').Contains("..") == true || Path.IsPathRooted(subpath ?? "") =>
                    throw Errors.Errors.InvalidArgument("InvalidKubernetesYaml", $"Pod '{pod}': the subPath '{subpath}' of volume '{mount.Name}' is not in it.", subpath),
                { ConfigMap: not null } or { Secret: not null } => new ContainerMount
                {
                    Type = MountType.Bind,
                    Source = subpath != null ? Path.Combine(pod, volume.Name, subpath) : Path.Combine(pod, volume.Name),
                    Target = mount.MountPath,
                    ReadOnly = true,
                },
                { EmptyDir: not null } => new ContainerMount { Type = MountType.Volume, Target = mount.MountPath, ReadOnly = readOnly, Anonymous = true },
                _ => null,
            };
            if (made == null)
                warnings.Add($"Pod '{pod}': volume '{mount.Name}' is of a kind not played (hostPath, persistentVolumeClaim, emptyDir, configMap and secret are).");
            else
                mounts.Add(made);
        }
        return mounts.Count > 0 ? mounts : null;
    }
}
