using Container.Runtime.Containers;

namespace Container.Runtime.Kubernetes;

/// <summary>
/// A pod's IPC and PID namespaces as Kubernetes says them: hostIPC and hostPID put the whole pod
/// in the host's, and shareProcessNamespace puts its containers in one PID namespace (they share
/// one IPC namespace always). So a container's -Ipc and -Pid are said where they are the pod's,
/// and a warning says where they are not: a container in a pod in the host's namespace that was
/// not, one joined to a container outside the pod, one made to share that did not.
/// </summary>
internal static class PodNamespaces
{
    public static bool HostPid(PodDescription pod) => pod.Containers.Any(c => c.Pid == NamespaceModes.Host);

    public static bool HostIpc(PodDescription pod) => pod.Containers.Any(c => c.Ipc == NamespaceModes.Host);

    /// <summary>A container joins another of the pod's PID namespace; not beside hostPID, which the API refuses with it (and which shares one already).</summary>
    public static bool ShareProcesses(PodDescription pod) => !HostPid(pod) && pod.Containers.Any(c => JoinedMember(c.Pid, pod) != null);

    /// <param name="names">the containers' names in the pod, in the pod's order</param>
    public static IEnumerable<string> WhatIsLeftOut(PodDescription pod, IReadOnlyList<string> names)
    {
        var sharing = ShareProcesses(pod);
        for (var i = 0; i < pod.Containers.Count; i++)
        {
            var spec = pod.Containers[i];
            foreach (var (kind, field, mode, hostWide) in new[] { ("IPC", "hostIPC", spec.Ipc, HostIpc(pod)), ("PID", "hostPID", spec.Pid, HostPid(pod)) })
            {
                if (hostWide && mode != NamespaceModes.Host)
                    yield return $"Container '{names[i]}': {field} is the pod's: it is in the host's {kind} namespace too, not its own.";
                else if (!hostWide && mode != null && NamespaceModes.JoinedId(mode) is { } other && JoinedMember(mode, pod) == null)
                    yield return $"Container '{names[i]}': its {kind} namespace is container {other}'s, which is not in this pod; left out.";
            }
            if (sharing && JoinedMember(spec.Pid, pod) == null && !pod.Containers.Any(c => JoinedMember(c.Pid, pod) == spec))
                yield return $"Container '{names[i]}': shareProcessNamespace is the pod's: it shares one PID namespace with the pod's other containers, not its own.";
        }
    }

    /// <summary>The container of the pod whose namespace a container:NAME mode joins; null for any other mode, or one outside the pod.</summary>
    private static ContainerSpec? JoinedMember(string? mode, PodDescription pod) =>
        mode != null && NamespaceModes.JoinedId(mode) is { } other ? pod.Containers.FirstOrDefault(c => c.Name == other) : null;
}
