using Container.Runtime.Containers;

namespace Container.Runtime.Kubernetes;

/// <summary>
/// The containers of one pod, as specs (an existing container's from <see cref="ContainerDescription"/>,
/// or a compose service's), the one that owns the network namespace first.
/// </summary>
/// <param name="Name">The pod's name (a DNS label).</param>
public sealed record PodDescription(string Name, IReadOnlyList<ContainerSpec> Containers)
{
    /// <summary>Files of ConfigMaps and Secrets mounted into each of the pod's containers (a compose service's configs and secrets).</summary>
    public IReadOnlyList<KubeFileMount> Files { get; init; } = [];
}

/// <summary>What a Kubernetes document is made with.</summary>
public sealed record KubeOptions
{
    public KubeKind Kind { get; init; } = KubeKind.Pod;

    /// <summary>A Service of type NodePort for the published ports too (podman kube generate --service).</summary>
    public bool Service { get; init; }

    /// <summary>A Deployment's replicas (a compose service's deploy.replicas).</summary>
    public int Replicas { get; init; } = 1;
}
