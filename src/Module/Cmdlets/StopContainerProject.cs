using System.Management.Automation;
using Container.Runtime.Containers;

namespace Container.Module.Cmdlets;

/// <summary>Stop-ContainerProject: docker compose stop, the project's running containers stopped (dependants first).</summary>
[Cmdlet(VerbsLifecycle.Stop, "ContainerProject", SupportsShouldProcess = true, DefaultParameterSetName = ByPath)]
[OutputType(typeof(ContainerInfo))]
public sealed class StopContainerProjectCommand : ProjectCmdlet
{
    /// <summary>Seconds each container has to stop before it is killed.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? Timeout { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => ForEachItem(() =>
    {
        var name = ProjectNameOf();
        if (!ShouldProcess(name, "Stop the project"))
            return;
        var stopped = Engine.Projects.Stop(name, Timeout is { } seconds ? TimeSpan.FromSeconds(seconds) : null);
        if (PassThru)
            WriteObject(stopped, enumerateCollection: true);
    });
}
