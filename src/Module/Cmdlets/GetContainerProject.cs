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
    protected override void ProcessRecord() => ForEachItem(() =>
    {
        // nothing named: every project, as docker compose ls (not the current directory's alone)
        if (!new[] { nameof(Path), nameof(File), nameof(ProjectName) }.Any(MyInvocation.BoundParameters.ContainsKey))
            WriteObject(Engine.Projects.List(), enumerateCollection: true);
        else
            WriteObject(Engine.Projects.Get(ProjectNameOf()));
    });
}
