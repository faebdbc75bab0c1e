using System.Management.Automation;
using Container.Runtime.Compose;

namespace Container.Module.Cmdlets;

/// <summary>
/// Get-ContainerProject: docker compose ls, every project the store has containers of, or the
/// one -Path or -ProjectName names, each with its containers (docker compose ps).
/// </summary>
[Cmdlet(VerbsCommon.Get, "ContainerProject", DefaultParameterSetName = ByPath)]
[OutputType(typeof(ContainerProject))]
public sealed class GetContainerProjectCommand : ProjectCmdlet
{
    protected override void ProcessRecord() => ForEachItem(() => WriteObject(Engine.Projects.Select(Selection), enumerateCollection: true));
}
