using Container.Runtime.Containers;

namespace Container.Runtime.Kubernetes;

/// <summary>A pod to run: its containers' specs in the order they are made, the first owning the network namespace the rest join.</summary>
public sealed record PlayedPod(string Name, IReadOnlyList<ContainerSpec> Containers);

/// <summary>What a play of Kubernetes YAML makes (podman kube play), and what of the YAML it cannot do.</summary>
public sealed record PlayPlan(IReadOnlyList<PlayedPod> Pods, IReadOnlyList<string> Warnings)
{
    /// <summary>The names of every container the play makes: what -Down removes.</summary>
    public IEnumerable<string> ContainerNames => Pods.SelectMany(p => p.Containers).Select(c => c.Name!);
}
