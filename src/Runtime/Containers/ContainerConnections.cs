using Container.Runtime.Networks;

namespace Container.Runtime.Containers;

/// <summary>
/// A container connected to a network or disconnected from one (docker network connect,
/// disconnect), under its lock: live while it runs or is paused, on its record alone while it is
/// created or has exited (its next start sets the network up).
/// </summary>
internal sealed class ContainerConnections(ContainerStore store, ContainerObserver observer, NetworkConnections connections)
{
    /// <summary>Connects the container to the network; address: a static IPv4 address in its range; aliases: more names on it.</summary>
    public ContainerInfo Connect(string reference, string network, string? address = null, IReadOnlyList<string>? aliases = null) =>
        Change(reference, "connect", (record, live) => connections.Connect(record, network, address, aliases, live, store.Write));

    /// <summary>Disconnects the container from the network; force: from a network removed meanwhile too.</summary>
    public ContainerInfo Disconnect(string reference, string network, bool force = false) =>
        Change(reference, "disconnect", (record, live) => connections.Disconnect(record, network, force, live, store.Write));

    private ContainerInfo Change(string reference, string operation, Action<ContainerRecord, bool> change)
    {
        var id = observer.Resolve(reference);
        using var _ = store.Lock(id);
        var record = observer.ReadRecord(id, reference);
        var status = observer.ObserveSettled(id, record).Status;
        var live = ContainerStateMachine.IsLive(status);
        if (!live && !ContainerStateMachine.CanStart(status))
            throw Errors.Errors.InvalidContainerState(reference, operation, status);
        change(record, live);
        return observer.Observe(id, record);
    }
}
