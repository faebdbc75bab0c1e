using System.Collections;
using System.Management.Automation;
using Container.Runtime.Volumes;

namespace Container.Module.Cmdlets;

/// <summary>New-ContainerVolume: a named volume, a directory under the store or what the local driver's options mount (docker volume create).</summary>
[Cmdlet(VerbsCommon.New, "ContainerVolume", SupportsShouldProcess = true)]
[OutputType(typeof(ContainerVolume))]
public sealed class NewContainerVolumeCommand : ContainerCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    [Parameter]
    public Hashtable? Label { get; set; }

    /// <summary>local, the one driver.</summary>
    [Parameter]
    [ValidateSet(ContainerVolume.LocalDriver)]
    public string Driver { get; set; } = ContainerVolume.LocalDriver;

    /// <summary>The local driver's options, as docker's -o: @{ type = 'tmpfs'; device = 'tmpfs'; o = 'size=100m' }.</summary>
    [Parameter]
    public Hashtable? Option { get; set; }

    protected override void ProcessRecord()
    {
        if (!ShouldProcess(Name, "Create a volume"))
            return;
        ForEachItem(() => WriteObject(Engine.Volumes.Create(new VolumeSpec
        {
            Name = Name,
            Driver = Driver,
            Labels = HashtableConversion.ToDictionary(Label),
            Options = HashtableConversion.ToDictionary(Option),
        })));
    }
}
