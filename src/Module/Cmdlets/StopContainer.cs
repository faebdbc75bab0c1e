using System.Management.Automation;
using Container.Runtime.Containers;

namespace Container.Module.Cmdlets;

/// <summary>Stop-Container: SIGTERM, then SIGKILL after -Timeout seconds (docker stop).</summary>
[Cmdlet(VerbsLifecycle.Stop, "Container", SupportsShouldProcess = true, DefaultParameterSetName = ParameterSets.ByName)]
[OutputType(typeof(ContainerInfo))]
public sealed class StopContainerCommand : ContainerTargetCmdlet
{
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int Timeout { get; set; } = 10;

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessContainer(string id)
    {
        var container = Engine.Containers.Get(id);
        if (!ShouldProcess(container.Name, "Stop"))
            return;
        var stopped = Engine.Containers.Stop(id, TimeSpan.FromSeconds(Timeout));
        if (PassThru)
            WriteObject(stopped);
    }
}
