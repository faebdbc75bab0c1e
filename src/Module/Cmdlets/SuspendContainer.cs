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

    protected override void ProcessContainer(string reference)
    {
        var container = Engine.Containers.Get(reference);
        if (!ShouldProcess(container.Name, "Suspend"))
            return;
        var paused = Engine.Containers.Pause(reference, pause: true);
        if (PassThru)
            WriteObject(paused);
    }
}
