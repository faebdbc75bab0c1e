using System.Management.Automation;

namespace Container.Module.Cmdlets;

/// <summary>
/// Remove-ContainerProject: docker compose down, the project's containers stopped and removed,
/// then its networks; -Volumes removes its volumes too (docker compose down -v).
/// </summary>
[Cmdlet(VerbsCommon.Remove, "ContainerProject", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByPath)]
[OutputType(typeof(void))]
public sealed class RemoveContainerProjectCommand : ProjectCmdlet
{
    /// <summary>Removes the project's volumes (and its containers' anonymous ones) as well.</summary>
    [Parameter]
    public SwitchParameter Volumes { get; set; }

    protected override void ProcessRecord() => ForEachItem(() =>
    {
        var name = ProjectNameOf();
        if (ShouldProcess(name, Volumes ? "Remove the project, its networks and its volumes" : "Remove the project and its networks"))
            Engine.Projects.Down(name, Volumes, WriteVerbose);
    });
}
