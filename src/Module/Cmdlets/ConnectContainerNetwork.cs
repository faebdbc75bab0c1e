using System.Management.Automation;
using Container.Runtime.Containers;

namespace Container.Module.Cmdlets;

/// <summary>Connect-ContainerNetwork: a container onto one more network, live if it runs (docker network connect).</summary>
[Cmdlet(VerbsCommunications.Connect, "ContainerNetwork", SupportsShouldProcess = true, DefaultParameterSetName = ParameterSets.ByName)]
[OutputType(typeof(ContainerInfo))]
public sealed class ConnectContainerNetworkCommand : NetworkConnectionCmdlet
{
    /// <summary>A static IPv4 address on the network, free and in its range.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? IPAddress { get; set; }

    /// <summary>More names the container has on the network.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Alias { get; set; }

    protected override string Action => $"Connect to network '{Network}'";

    protected override ContainerInfo Change(string reference) => Engine.Containers.ConnectNetwork(reference, Network, IPAddress, Alias);
}
