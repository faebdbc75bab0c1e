using System.Management.Automation;
using Container.Runtime.Networks;

namespace Container.Module.Cmdlets;

/// <summary>
/// Test-ContainerPort: whether a running container's published ports are reached from the
/// host's loopback, its own address and another container, and what stands in the way.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "ContainerPort", DefaultParameterSetName = ParameterSets.ByName)]
[OutputType(typeof(PortReachability))]
public sealed class TestContainerPortCommand : ContainerTargetCmdlet
{
    /// <summary>Only the port published on this host port.</summary>
    [Parameter(Position = 1)]
    [ValidateRange(1, 65535)]
    public int? HostPort { get; set; }

    /// <summary>Only ports of this protocol.</summary>
    [Parameter]
    [ValidateSet("tcp", "udp")]
    public string? Protocol { get; set; }

    protected override void ProcessContainer(string reference) =>
        WriteObject(Engine.Containers.TestPorts(reference, HostPort, Protocol), enumerateCollection: true);
}
