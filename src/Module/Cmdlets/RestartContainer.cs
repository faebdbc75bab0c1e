using System.Management.Automation;
using Container.Runtime.Containers;

namespace Container.Module.Cmdlets;

/// <summary>Restart-Container: stop (as Stop-Container does), then start again (docker restart).</summary>
[Cmdlet(VerbsLifecycle.Restart, "Container", SupportsShouldProcess = true, DefaultParameterSetName = ParameterSets.ByName)]
[OutputType(typeof(ContainerInfo))]
public sealed class RestartContainerCommand : ContainerTargetCmdlet
{
    /// <summary>Seconds to wait after the stop signal; else the container's -StopTimeout, else 10.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? Timeout { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessContainer(string reference)
    {
        var container = Engine.Containers.Get(reference);
        if (!ShouldProcess(container.Name, "Restart"))
            return;
        var restarted = Engine.Containers.Restart(reference, Seconds(Timeout), Cancellation);
        if (PassThru)
            WriteObject(restarted);
    }
}
