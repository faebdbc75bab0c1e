using System.Management.Automation;
using Container.Runtime.Networks;

namespace Container.Module.Cmdlets;

/// <summary>Get-ContainerPort: a container's published ports, each container port to its host address and port (docker port).</summary>
[Cmdlet(VerbsCommon.Get, "ContainerPort", DefaultParameterSetName = ParameterSets.ByName)]
[OutputType(typeof(PortMapping))]
public sealed class GetContainerPortCommand : ContainerTargetCmdlet
{
    /// <summary>Only this container port: 80, or 80/udp.</summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string? Port { get; set; }

    protected override void ProcessContainer(string reference) =>
        WriteObject(Engine.Containers.Ports(reference, Port), enumerateCollection: true);
}
