using System.Management.Automation;
using Container.Module.Completers;
using Container.Runtime.Networks;

namespace Container.Module.Cmdlets;

/// <summary>
/// Set-ContainerNetwork: new addressing for a network no container uses; for the default one,
/// bridge, kept in the store's config as dockerd keeps its bip.
/// </summary>
[Cmdlet(VerbsCommon.Set, "ContainerNetwork", SupportsShouldProcess = true)]
[OutputType(typeof(ContainerNetwork))]
public sealed class SetContainerNetworkCommand : ContainerCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(NetworkNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string Subnet { get; set; } = "";

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Gateway { get; set; }

    protected override void ProcessRecord()
    {
        if (ShouldProcess(Name, $"Set the subnet {Subnet}{(Gateway != null ? $" and the gateway {Gateway}" : "")}"))
            ForEachItem(() => WriteObject(Engine.Networks.Readdress(Name, Subnet, Gateway)));
    }
}
