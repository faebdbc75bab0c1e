using System.Management.Automation;
using Container.Runtime.Containers;

namespace Container.Module.Cmdlets;

/// <summary>Restart-ContainerProject: docker compose restart, each container of the project stopped and started again.</summary>
[Cmdlet(VerbsLifecycle.Restart, "ContainerProject", SupportsShouldProcess = true, DefaultParameterSetName = ByPath)]
[OutputType(typeof(ContainerInfo))]
public sealed class RestartContainerProjectCommand : ProjectLifecycleCmdlet
{
    protected override string Action => "Restart the project";

    protected override IReadOnlyList<ContainerInfo> Act(string project, TimeSpan? timeout) => Engine.Projects.Restart(project, timeout, Cancellation);
}
