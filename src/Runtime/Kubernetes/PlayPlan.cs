using Container.Runtime.Containers;

namespace Container.Runtime.Kubernetes;

/// <summary>
/// A pod to run: its containers' specs in the order they are made, the first owning the network
/// namespace the rest join; its configMap and secret volumes, the files a play writes before the
/// containers are made. A bind mount whose source is a relative path is one of these volumes
/// (&lt;pod&gt;/&lt;volume&gt;[/&lt;path&gt;]) under the store's kube directory: a hostPath is always absolute.
/// </summary>
public sealed record PlayedPod(string Name, IReadOnlyList<ContainerSpec> Containers)
{
    public IReadOnlyList<PlayedVolume> Volumes { get; init; } = [];
}

/// <summary>A configMap or secret volume of a pod: the directory &lt;pod&gt;/&lt;volume&gt; and its files.</summary>
public sealed record PlayedVolume(string Directory, IReadOnlyList<PlayedFile> Files);

/// <summary>One key of the object as a file: its path in the volume's directory, its bytes, its permissions.</summary>
public sealed record PlayedFile(string Path, byte[] Content, UnixFileMode Mode);

/// <summary>What a play of Kubernetes YAML makes (podman kube play), and what of the YAML it cannot do.</summary>
public sealed record PlayPlan(IReadOnlyList<PlayedPod> Pods, IReadOnlyList<string> Warnings)
{
    /// <summary>The names of every container the play makes: what -Down removes.</summary>
    public IEnumerable<string> ContainerNames => Pods.SelectMany(p => p.Containers).Select(c => c.Name!);
}
