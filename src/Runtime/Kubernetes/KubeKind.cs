namespace Container.Runtime.Kubernetes;

/// <summary>What ConvertTo-KubernetesYaml writes the containers as (podman kube generate --type).</summary>
public enum KubeKind
{
    Pod,
    Deployment,
}
