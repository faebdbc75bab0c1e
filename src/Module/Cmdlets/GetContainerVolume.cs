using System.Management.Automation;
using Container.Module.Completers;
using Container.Runtime.Volumes;

namespace Container.Module.Cmdlets;

/// <summary>Get-ContainerVolume: the volumes, their size and the containers that use them (docker volume ls, inspect).</summary>
[Cmdlet(VerbsCommon.Get, "ContainerVolume")]
[OutputType(typeof(ContainerVolume))]
public sealed class GetContainerVolumeCommand : ContainerCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(VolumeNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    protected override void ProcessRecord()
    {
        if (Name == null)
        {
            WriteObject(Engine.Volumes.List(), enumerateCollection: true);
            return;
        }
        foreach (var reference in Name)
            ForEachItem(() =>
            {
                foreach (var name in Engine.Volumes.Select(reference))
                    WriteObject(Engine.Volumes.Get(name));
            });
    }
}
