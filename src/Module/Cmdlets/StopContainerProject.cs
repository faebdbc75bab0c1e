using System.Management.Automation;
using Container.Runtime.Containers;

namespace Container.Module.Cmdlets;

/// <summary>Stop-ContainerProject: docker compose stop, the project's running containers stopped (dependants first).</summary>
[Cmdlet(VerbsLifecycle.Stop, "ContainerProject", SupportsShouldProcess = true, DefaultParameterSetName = ByPath)]
[OutputType(typeof(ContainerInfo))]
public sealed class StopContainerProjectCommand : ProjectLifecycleCmdlet
{
    protected override string Action => "Stop the project";

    protected override IReadOnlyList<ContainerInfo> Act(string project, TimeSpan? timeout) => Engine.Projects.Stop(project, timeout);
}
