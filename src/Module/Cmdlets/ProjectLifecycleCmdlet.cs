using System.Management.Automation;
using Container.Runtime.Containers;

namespace Container.Module.Cmdlets;

/// <summary>What Stop- and Restart-ContainerProject share: the project by -Path or -ProjectName, each container's grace before it is killed, -PassThru.</summary>
public abstract class ProjectLifecycleCmdlet : ProjectCmdlet
{
    /// <summary>Seconds each container has to stop before it is killed; else its own stop timeout (its service's stop_grace_period), else 10.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? Timeout { get; set; }

    /// <summary>Writes each container acted on.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>What ShouldProcess says is done to the project ("Stop the project").</summary>
    protected abstract string Action { get; }

    protected abstract IReadOnlyList<ContainerInfo> Act(string project, TimeSpan? timeout);

    protected override void ProcessRecord() => ForEachItem(() =>
    {
        var name = ProjectNameOf();
        if (!ShouldProcess(name, Action))
            return;
        var done = Act(name, Seconds(Timeout));
        if (PassThru)
            WriteObject(done, enumerateCollection: true);
    });
}
