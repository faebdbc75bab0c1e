using System.Management.Automation;
using Container.Runtime.Containers;

namespace Container.Module.Cmdlets;

/// <summary>Resume-Container: thaws a suspended container (docker unpause).</summary>
[Cmdlet(VerbsLifecycle.Resume, "Container", SupportsShouldProcess = true, DefaultParameterSetName = ParameterSets.ByName)]
[OutputType(typeof(ContainerInfo))]
public sealed class ResumeContainerCommand : ContainerTargetCmdlet
{
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessContainer(string reference)
    {
        var container = Engine.Containers.Get(reference);
        if (!ShouldProcess(container.Name, "Resume"))
            return;
        var resumed = Engine.Containers.Pause(reference, pause: false);
        if (PassThru)
            WriteObject(resumed);
    }
}
