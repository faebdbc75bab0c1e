using System.Management.Automation;
using Container.Runtime.Containers;

namespace Container.Module.Cmdlets;

/// <summary>Restart-ContainerProject: docker compose restart, each container of the project stopped and started again.</summary>
[Cmdlet(VerbsLifecycle.Restart, "ContainerProject", SupportsShouldProcess = true, DefaultParameterSetName = ByPath)]
[OutputType(typeof(ContainerInfo))]
public sealed class RestartContainerProjectCommand : ProjectCmdlet
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
        if (!ShouldProcess(name, "Restart the project"))
            return;
        var restarted = Engine.Projects.Restart(name, Timeout is { } seconds ? TimeSpan.FromSeconds(seconds) : null, Cancellation);
        if (PassThru)
            WriteObject(restarted, enumerateCollection: true);
    });
}
