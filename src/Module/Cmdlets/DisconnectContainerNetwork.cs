using System.Management.Automation;
using Container.Runtime.Containers;

namespace Container.Module.Cmdlets;

/// <summary>Disconnect-ContainerNetwork: a container off a network, live if it runs (docker network disconnect).</summary>
[Cmdlet(VerbsCommunications.Disconnect, "ContainerNetwork", SupportsShouldProcess = true, DefaultParameterSetName = ParameterSets.ByName)]
[OutputType(typeof(ContainerInfo))]
public sealed class DisconnectContainerNetworkCommand : NetworkConnectionCmdlet
{
    /// <summary>Disconnects from a network removed meanwhile (Remove-ContainerNetwork -Force) too.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override string Action => $"Disconnect from network '{Network}'";

    protected override ContainerInfo Change(string reference) => Engine.Containers.DisconnectNetwork(reference, Network, Force);
}
