using System.Management.Automation;
using Container.Module.Completers;
using Container.Runtime.Networks;

namespace Container.Module.Cmdlets;

/// <summary>Get-ContainerNetwork: the networks, their addressing and members (docker network ls, inspect).</summary>
[Cmdlet(VerbsCommon.Get, "ContainerNetwork")]
[OutputType(typeof(ContainerNetwork))]
public sealed class GetContainerNetworkCommand : ContainerCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(NetworkNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    protected override void ProcessRecord()
    {
        if (Name == null)
        {
            WriteObject(Engine.Networks.List(), enumerateCollection: true);
            return;
        }
        foreach (var reference in Name)
            ForEachItem(() =>
            {
                foreach (var name in Engine.Networks.Select(reference))
                    WriteObject(Engine.Networks.Get(name));
            });
    }
}
