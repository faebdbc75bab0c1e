using System.Management.Automation;
using Container.Module.Completers;
using Container.Runtime.Volumes;

namespace Container.Module.Cmdlets;

/// <summary>
/// Remove-ContainerVolume: volumes and their data, refused while a container uses them
/// (docker volume rm); -Unused removes those no container uses (docker volume prune):
/// anonymous ones only, unless -IncludeNamed says named ones too.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "ContainerVolume", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByName)]
[OutputType(typeof(ContainerVolume))]
public sealed class RemoveContainerVolumeCommand : ContainerCmdlet
{
    private const string ByName = "ByName";
    private const string ByUse = "Unused";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByName)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(VolumeNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    /// <summary>Every volume no container, running or not, uses: the anonymous ones.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ByUse)]
    public SwitchParameter Unused { get; set; }

    /// <summary>With -Unused, the named volumes no container uses as well.</summary>
    [Parameter(ParameterSetName = ByUse)]
    public SwitchParameter IncludeNamed { get; set; }

    /// <summary>Writes each volume removed.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        if (Unused)
        {
            foreach (var volume in Engine.Volumes.Unused(IncludeNamed))
                RemoveOne(volume);
            return;
        }
        foreach (var reference in Name)
            ForEachItem(() =>
            {
                foreach (var name in Engine.Volumes.Select(reference))
                    ForEachItem(() => RemoveOne(Engine.Volumes.Get(name)));
            });
    }

    private void RemoveOne(ContainerVolume volume)
    {
        if (!ShouldProcess(volume.Name, "Remove volume"))
            return;
        ForEachItem(() =>
        {
            Engine.Volumes.Remove(volume.Name);
            if (PassThru)
                WriteObject(volume);
        });
    }
}
