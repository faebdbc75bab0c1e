using System.Text;
using System.Text.RegularExpressions;
using Container.Runtime.Compose;
using Container.Runtime.Compose.Loading;
using Container.Runtime.Containers;
using Container.Runtime.Networks;
using Container.Runtime.Volumes;
using k8s;
using k8s.Models;

namespace Container.Runtime.Kubernetes;

/// <summary>
/// A compose project as Kubernetes objects, as kompose writes one: a ConfigMap per config and a
/// Secret per secret; per service a Deployment of its deploy.replicas, whose pod is the service's
/// container spec as up makes it (ServiceContainers) written by KubeGenerator as a container's
/// is, with a Service for its ports; one PersistentVolumeClaim per named volume, however many
/// services mount it. What Kubernetes cannot say is a warning that names the service and the field.
/// </summary>
public static partial class ProjectKube
{
    /// <param name="kindAsked">what each service is written as; null: a Deployment</param>
    public static KubeDocuments Generate(ComposeProject project, KubeKind? kindAsked = null)
    {
        var kind = kindAsked ?? KubeKind.Deployment;
        if (project.Services.Count == 0)
            throw Errors.Errors.InvalidArgument("NoServices", $"Project '{project.Name}' has no service to write as Kubernetes YAML.", project.Name);
        var warnings = new List<string>();
        var objects = new List<IKubernetesObject>();
        objects.AddRange(project.Configs.Where(c => !c.Value.External).Select(c => ConfigMap(project, c.Key, c.Value)));
        objects.AddRange(project.Secrets.Where(s => !s.Value.External).Select(s => Secret(project, s.Key, s.Value)));
        var claims = new Dictionary<string, IKubernetesObject>();
        var workloads = new List<IKubernetesObject>();
        foreach (var service in project.Services.Values)
        {
            var replicas = ServiceContainers.ReplicasOf(service);
            if (kind == KubeKind.Pod && replicas != 1)
                warnings.Add($"Service '{service.Name}': deploy.replicas ({replicas}) is written as one Pod; a Deployment has replicas.");
            var pod = new PodDescription(KubeNames.Label(service.Name), [SpecOf(project, service, kind, warnings)]) { Files = FilesOf(project, service, warnings) };
            var documents = KubeGenerator.Generate(pod, new KubeOptions { Kind = kind, Service = true, Replicas = replicas });
            warnings.AddRange(documents.Warnings);
            foreach (var item in documents.Objects)
            {
                if (item is V1PersistentVolumeClaim claim)
                    claims.TryAdd(claim.Metadata.Name, claim);
                else
                    workloads.Add(item);
            }
        }
        return new KubeDocuments([.. objects, .. claims.Values, .. workloads], warnings);
    }

    /// <summary>
    /// The service's spec as up makes it, less what is compose's own (its labels, its container's
    /// name, the project's networks: a cluster's network is one), its named volumes' claims named as Kubernetes names allow.
    /// </summary>
    private static ContainerSpec SpecOf(ComposeProject project, ComposeService service, KubeKind kind, List<string> warnings)
    {
        WarnOfWhatIsLeftOut(project, service, kind, warnings);
        var spec = ServiceContainers.SpecOf(project, service, 1, other => other);
        var exposed = service.Expose.Select(p => p.Contains('/') ? p : p + "/tcp");
        return spec with
        {
            Name = service.Name,
            Labels = service.Labels.Count > 0 ? service.Labels : null,
            Network = service.NetworkMode == NetworkOptions.Host ? NetworkOptions.Host : null,
            // the host's is the pod's hostIPC or hostPID; another service's cannot be said of a pod of its own
            Ipc = service.Ipc == NamespaceModes.Host ? NamespaceModes.Host : null,
            Pid = service.Pid == NamespaceModes.Host ? NamespaceModes.Host : null,
            IPAddress = null,
            Alias = null,
            // exposed ports are container ports without a host port: the Service reaches them
            Publish = [.. spec.Publish ?? [], .. exposed],
            Mounts = spec.Mounts?.Select(m => m.Type == MountType.Volume && m.Source != null ? m with { Source = KubeNames.Label(m.Source) } : m).ToList(),
        };
    }

    private static void WarnOfWhatIsLeftOut(ComposeProject project, ComposeService service, KubeKind kind, List<string> warnings)
    {
        void Warn(string field, string why) => warnings.Add($"Service '{service.Name}': {field} {why}; left out.");
        if (service.NetworkMode is { } mode && mode != NetworkOptions.Host)
            Warn($"network_mode '{mode}'", "cannot be said in Kubernetes (a pod has a network of its own)");
        foreach (var (field, namespaceMode) in new[] { ("ipc", service.Ipc), ("pid", service.Pid) })
            if (namespaceMode != null && namespaceMode.Contains(':'))
                Warn($"{field} '{namespaceMode}'", "cannot be said in Kubernetes (each service is a pod of its own)");
        if (service.Image == null && service.Build != null)
            warnings.Add($"Service '{service.Name}': build has no image: the pod runs '{ServiceContainers.ImageOf(project, service)}', which the cluster must be able to pull (build and push it first).");
        foreach (var (network, attachment) in service.Networks)
        {
            if (attachment.Ipv4Address != null || attachment.Ipv6Address != null)
                Warn($"networks.{network}.ipv4_address", "cannot be said in Kubernetes (the cluster gives pods their addresses)");
            if (attachment.Aliases.Count > 0)
                Warn($"networks.{network}.aliases", "cannot be said in Kubernetes (other pods reach this one by its Service's name)");
        }
        // the loader's own dependencies on a service whose namespace this one joins are warned of above
        if (service.DependsOn.Keys.Except(ServiceReferences.Of(service).Select(r => r.Service)).Any())
            Warn("depends_on", "cannot be said in Kubernetes (it starts pods in no order)");
        if (kind == KubeKind.Deployment && service.Restart is { } restart && restart is not ("always" or "unless-stopped"))
            Warn($"restart '{restart}'", "cannot be said of a Deployment (its pods are always restarted)");
        if (service.ContainerName != null)
            Warn("container_name", "cannot be said in Kubernetes (a pod's container is named after the service)");
        if (service.Init == true)
            Warn("init", "cannot be said in Kubernetes");
        if (service.StopSignal != null)
            Warn("stop_signal", "cannot be said in Kubernetes");
        if (service.StopGracePeriod != null)
            Warn("stop_grace_period", "is not written (terminationGracePeriodSeconds is the pod's)");
        if (service.Domainname != null)
            Warn("domainname", "is not written (subdomain names a headless Service)");
        if (service.ShmSize != null)
            Warn("shm_size", "cannot be said in Kubernetes");
        if (service.SecurityOpt.Count > 0)
            Warn("security_opt", "cannot be said in Kubernetes");
        if (service.Sysctls.Count > 0)
            Warn("sysctls", "is not written (a pod's sysctls are the cluster's to allow)");
        if (service.PullPolicy != null)
            Warn("pull_policy", "is not written");
        if (service.Platform != null)
            Warn("platform", "is not written (a node selector picks the platform)");
        foreach (var field in service.OtherFields.Keys)
            Warn(field, "cannot be said in Kubernetes");
    }

    /// <summary>The service's configs and secrets as files of the project's ConfigMaps and Secrets, at the service's targets.</summary>
    private static List<KubeFileMount> FilesOf(ComposeProject project, ComposeService service, List<string> warnings)
    {
        var files = new List<KubeFileMount>();
        foreach (var (field, references, declared, source) in new[]
                 {
                     ("configs", service.Configs, project.Configs, KubeFileSource.ConfigMap),
                     ("secrets", service.Secrets, project.Secrets, KubeFileSource.Secret),
                 })
        {
            foreach (var reference in references)
            {
                if (!declared.TryGetValue(reference.Source, out var item))
                    continue;
                if (reference.Uid != null || reference.Gid != null)
                    warnings.Add($"Service '{service.Name}': {field}.{reference.Source}'s uid and gid cannot be said of one file in Kubernetes; left out.");
                if (item.External)
                    warnings.Add($"Service '{service.Name}': {field}.{reference.Source} is external: the cluster must have a {source} named '{ObjectName(item)}' with the key '{DataKey(reference.Source)}'.");
                files.Add(new KubeFileMount(source, ObjectName(item), DataKey(reference.Source), reference.Target, reference.Mode));
            }
        }
        return files;
    }

    private static V1ConfigMap ConfigMap(ComposeProject project, string key, ComposeFileObject config)
    {
        var content = FileObjectContent.Read("configs", key, config, project.Environment);
        var map = new V1ConfigMap { ApiVersion = "v1", Kind = "ConfigMap", Metadata = Metadata(config) };
        // a ConfigMap's data is text; what is not UTF-8 goes in binaryData
        if (Utf8(content) is { } text)
            map.Data = new Dictionary<string, string> { [DataKey(key)] = text };
        else
            map.BinaryData = new Dictionary<string, byte[]> { [DataKey(key)] = content };
        return map;
    }

    private static V1Secret Secret(ComposeProject project, string key, ComposeFileObject secret) => new()
    {
        ApiVersion = "v1",
        Kind = "Secret",
        Metadata = Metadata(secret),
        Type = "Opaque",
        Data = new Dictionary<string, byte[]> { [DataKey(key)] = FileObjectContent.Read("secrets", key, secret, project.Environment) },
    };

    private static V1ObjectMeta Metadata(ComposeFileObject item) => new()
    {
        Name = ObjectName(item),
        Labels = item.Labels.Count > 0 ? item.Labels.ToDictionary() : null,
    };

    /// <summary>The object's name: its engine name (&lt;project&gt;_&lt;key&gt;) as a DNS label, as the project's claims are named.</summary>
    private static string ObjectName(ComposeFileObject item) => KubeNames.Label(item.Name);

    /// <summary>The compose key as a ConfigMap's or Secret's key (letters, digits, '-', '_' and '.').</summary>
    private static string DataKey(string key) => NotInKey().Replace(key, "-");

    [GeneratedRegex("[^-._a-zA-Z0-9]")]
    private static partial Regex NotInKey();

    private static string? Utf8(byte[] content)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(content);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
