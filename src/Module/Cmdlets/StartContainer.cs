using System.Management.Automation;
using Container.Runtime.Containers;

namespace Container.Module.Cmdlets;

/// <summary>Start-Container: runs created or exited containers (docker start).</summary>
[Cmdlet(VerbsLifecycle.Start, "Container", SupportsShouldProcess = true, DefaultParameterSetName = ParameterSets.ByName)]
[OutputType(typeof(ContainerInfo))]
public sealed class StartContainerCommand : ContainerTargetCmdlet
{
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessContainer(string id)
    {
        var container = Engine.Containers.Get(id);
        if (!ShouldProcess(container.Name, "Start"))
            return;
        var started = Engine.Containers.Start(id, Cancellation);
        if (PassThru)
            WriteObject(started);
    }
}
