namespace Container.Runtime.Networks;

/// <summary>A running container whose firewall rules Repair-ContainerNetwork applied again: on which networks, for which ports.</summary>
public sealed record NetworkRepair(string Container, string Id, IReadOnlyList<string> Networks, IReadOnlyList<PortMapping> Ports)
{
    public string PortsText => PortMapping.Format(Ports);

    public override string ToString() => Container;
}
