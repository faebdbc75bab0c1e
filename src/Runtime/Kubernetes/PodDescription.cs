using Container.Runtime.Containers;

namespace Container.Runtime.Kubernetes;

/// <summary>
/// The containers of one pod, as specs (an existing container's from <see cref="ContainerDescription"/>,
/// or a compose service's), the one that owns the network namespace first.
/// </summary>
/// <param name="Name">The pod's name (a DNS label).</param>
public sealed record PodDescription(string Name, IReadOnlyList<ContainerSpec> Containers);

/// <summary>What a Kubernetes document is made with.</summary>
public sealed record KubeOptions
{
    public KubeKind Kind { get; init; } = KubeKind.Pod;

    /// <summary>A Service of type NodePort for the published ports too (podman kube generate --service).</summary>
    public bool Service { get; init; }
}
