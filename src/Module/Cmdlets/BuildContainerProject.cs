using System.Management.Automation;
using Container.Runtime.Images;

namespace Container.Module.Cmdlets;

/// <summary>Build-ContainerProject: docker compose build, the images of the services that have a build, tagged as Start-ContainerProject runs them.</summary>
// Build is an approved verb (lifecycle) since PowerShell 6; PowerShellStandard (5.1) has no constant for it
[Cmdlet("Build", "ContainerProject", SupportsShouldProcess = true, DefaultParameterSetName = ByPath)]
[OutputType(typeof(ContainerImage))]
public sealed class BuildContainerProjectCommand : ProjectCmdlet
{
    /// <summary>Only these services; all that have a build by default.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Service { get; set; }

    [Parameter]
    public SwitchParameter NoCache { get; set; }

    protected override void EndProcessing() => ForEachItem(() =>
    {
        var project = LoadProject();
        if (ShouldProcess(project.Name, "Build the project's images"))
            WriteObject(PipelineRelay.Run(this, log => Engine.Projects.Build(project, Service, NoCache, log.Note, Cancellation)), enumerateCollection: true);
    });
}
