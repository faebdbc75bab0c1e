using System.Management.Automation;
using Container.Module.Completers;

namespace Container.Module.Cmdlets;

/// <summary>Remove-ContainerNetwork: networks no container uses, or any with -Force (docker network rm).</summary>
[Cmdlet(VerbsCommon.Remove, "ContainerNetwork", SupportsShouldProcess = true)]
[OutputType(typeof(void))]
public sealed class RemoveContainerNetworkCommand : ContainerCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(NetworkNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    /// <summary>Removes a network containers hold addresses on: they cannot start until given another.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var reference in Name)
            ForEachItem(() =>
            {
                foreach (var name in Engine.Networks.Select(reference))
                    if (ShouldProcess(name, "Remove network"))
                        ForEachItem(() => Engine.Networks.Remove(name, Force));
            });
    }
}
