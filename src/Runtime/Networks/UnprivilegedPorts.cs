using Container.Runtime.Linux;

namespace Container.Runtime.Networks;

/// <summary>
/// A container in a user namespace on a network of ours: its namespace is the driver's, owned
/// by the host's user namespace, over which the container's root has no privilege. Ports below
/// 1024 and ICMP echo sockets (ping) are opened to every user in it, as docker opens them in
/// every container's namespace, so that its root binds port 80 as it would without the maps.
/// </summary>
internal static class UnprivilegedPorts
{
    public static void Open(string namespacePath) => NetworkNamespace.Run(namespacePath, () =>
    {
        File.WriteAllText("/proc/sys/net/ipv4/ip_unprivileged_port_start", "0");
        File.WriteAllText("/proc/sys/net/ipv4/ping_group_range", "0 2147483647");
        return true;
    });
}
