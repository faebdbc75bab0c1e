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

    /// <summary>
    /// Adds one network to a running setup (docker network connect): the attachment's veth,
    /// address and rules in the namespace there is, its routes left as they are. setup is the
    /// setup with it, what a later teardown undoes. When it throws, nothing of it is left.
    /// </summary>
    void Attach(NetworkSetup setup, NetworkAttachment attachment);

    /// <summary>Takes one network out of a running setup again (docker network disconnect); setup is the setup without it.</summary>
    void Detach(NetworkSetup setup, NetworkAttachment attachment);

    /// <summary>
    /// The setup's firewall rules applied again, as one transaction (after the host's firewall was
    /// reloaded and flushed them, or someone else's forward chain came); false when its
    /// namespace is gone (the container ended meanwhile), and nothing is done.
    /// </summary>
    bool Repair(NetworkSetup setup);

    /// <summary>What Test-ContainerPort reads and probes of the running container's setup, the host's side where the setup was made.</summary>
    IPortFacts Facts(NetworkSetup setup, int containerPid);
}
