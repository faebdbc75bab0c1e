namespace Container.Runtime.Networks;

/// <summary>
/// The kernel side of a container's networking: its network namespace, veth pairs, addresses,
/// routes and firewall rules. The engine decides what (networks, leases, ports: a
/// <see cref="NetworkSetup"/>); the driver only does it, so a test can give the engine another.
/// </summary>
internal interface INetworkDriver
{
    /// <summary>
    /// Makes the namespace at <see cref="NetworkSetup.NamespacePath"/> and attaches it as the setup
    /// says, before the container's init runs. When it throws, nothing of it is left.
    /// </summary>
    void Setup(NetworkSetup setup);

    /// <summary>
    /// Undoes <see cref="Setup"/>: idempotent, safe on a half-made setup, one already torn down,
    /// and after a reboot emptied the run root; the monitor, remove and crash recovery all call it.
    /// </summary>
    void Teardown(NetworkSetup setup);
}
