using System.Management.Automation;
using Container.Runtime.Containers;

namespace Container.Module.Cmdlets;

/// <summary>Suspend-Container: freezes every process of the container (docker pause).</summary>
[Cmdlet(VerbsLifecycle.Suspend, "Container", SupportsShouldProcess = true, DefaultParameterSetName = ParameterSets.ByName)]
[OutputType(typeof(ContainerInfo))]
public sealed class SuspendContainerCommand : ContainerTargetCmdlet
{
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessContainer(string id)
    {
        var container = Engine.Containers.Get(id);
        if (!ShouldProcess(container.Name, "Suspend"))
            return;
        var paused = Engine.Containers.Pause(id, pause: true);
        if (PassThru)
            WriteObject(paused);
    }
}
