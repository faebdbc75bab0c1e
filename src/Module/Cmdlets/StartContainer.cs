using System.Management.Automation;
using Container.Runtime.Containers;

namespace Container.Module.Cmdlets;

/// <summary>Start-Container: runs created or exited containers (docker start); one running already is left as it is, with a warning.</summary>
[Cmdlet(VerbsLifecycle.Start, "Container", SupportsShouldProcess = true, DefaultParameterSetName = ParameterSets.ByName)]
[OutputType(typeof(ContainerInfo))]
public sealed class StartContainerCommand : ContainerTargetCmdlet
{
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessContainer(string reference)
    {
        var container = Engine.Containers.Get(reference);
        if (!ShouldProcess(container.Name, "Start"))
            return;
        var started = Engine.Containers.Start(reference, Cancellation, WriteWarning);
        if (PassThru)
            WriteObject(started);
    }
}
