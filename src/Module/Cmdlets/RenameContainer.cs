using System.Management.Automation;
using Container.Runtime.Containers;

namespace Container.Module.Cmdlets;

/// <summary>Rename-Container: a new name for a container; its hostname stays (docker rename).</summary>
[Cmdlet(VerbsCommon.Rename, "Container", SupportsShouldProcess = true, DefaultParameterSetName = ParameterSets.ByName)]
[OutputType(typeof(ContainerInfo))]
public sealed class RenameContainerCommand : ContainerTargetCmdlet
{
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string NewName { get; set; } = "";

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessContainer(string reference)
    {
        var container = Engine.Containers.Get(reference);
        if (!ShouldProcess(container.Name, $"Rename to '{NewName}'"))
            return;
        var renamed = Engine.Containers.Rename(reference, NewName);
        if (PassThru)
            WriteObject(renamed);
    }
}
