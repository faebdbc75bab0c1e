using System.Net;
using Container.Runtime.Networks;

namespace Container.Tests.Networks;

/// <summary>A host on which everything is in order: a server on 0.0.0.0:80 inside, our rules, routes both ways, forwarding on; every probe answered.</summary>
internal sealed class ModelPortFacts(string containerId = ModelPortDiagnosisTests.Id) : IPortFacts
{
    public List<(string Interface, IPAddress Address)> Addresses { get; } =
        [("lo", IPAddress.Loopback), ("container0", ModelPortDiagnosisTests.Gateway), ("eth0", ModelPortDiagnosisTests.Host)];

    public IReadOnlyList<(string Interface, IPAddress Address)> HostAddresses => Addresses;

    public IReadOnlyList<Route> HostRoutes { get; set; } = [new("eth0", IPAddress.Parse("198.51.100.0"), 24), new("container0", IPAddress.Parse("10.88.0.0"), 16)];

    public bool HostForwards { get; set; } = true;

    public string Ruleset { get; set; } = ModelPortDiagnosisTests.Rules(ModelPortDiagnosisTests.OurTable, ModelPortDiagnosisTests.Dnat(containerId));

    public IReadOnlyList<ListeningSocket> ContainerSockets { get; set; } = [new("tcp", IPAddress.Any, 80)];

    public IReadOnlyList<Route> ContainerRoutes { get; set; } = [new("eth0", IPAddress.Any, 0), new("eth0", IPAddress.Parse("10.88.0.0"), 16)];

    public Dictionary<(IPAddress Address, IPAddress? Source), ProbeOutcome> Outcomes { get; } = [];

    public List<(IPAddress Address, int Port, IPAddress? Source)> Probes { get; } = [];

    /// <summary>What each of the three vantage points' probes meets.</summary>
    public void EveryProbe(ProbeOutcome outcome)
    {
        foreach (var vantage in new[] { (IPAddress.Loopback, (IPAddress?)null), (ModelPortDiagnosisTests.Host, null), (ModelPortDiagnosisTests.Host, ModelPortDiagnosisTests.Gateway) })
            Outcomes[vantage] = outcome;
    }

    public ProbeOutcome Connect(IPAddress address, int port, IPAddress? source)
    {
        Probes.Add((address, port, source));
        return Outcomes.GetValueOrDefault((address, source), ProbeOutcome.Answered);
    }
}
