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
            // each removed only if still unused when its turn comes: another session may take or use it meanwhile
            foreach (var volume in Engine.Volumes.Unused(IncludeNamed))
                RemoveOne(volume, Engine.Volumes.RemoveIfUnused);
            return;
        }
        foreach (var reference in Name)
            ForEachItem(() =>
            {
                foreach (var name in Engine.Volumes.Select(reference))
                    ForEachItem(() => RemoveOne(Engine.Volumes.Get(name), Remove));
            });
    }

    private void RemoveOne(ContainerVolume volume, Func<string, bool> remove)
    {
        if (!ShouldProcess(volume.Name, "Remove volume"))
            return;
        ForEachItem(() =>
        {
            if (remove(volume.Name) && PassThru)
                WriteObject(volume);
        });
    }

    private bool Remove(string name)
    {
        Engine.Volumes.Remove(name);
        return true;
    }
}
