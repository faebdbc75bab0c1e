using System.Management.Automation;
using Container.Runtime.Compose;
using Container.Runtime.Containers;

namespace Container.Module.Cmdlets;

/// <summary>
/// Start-ContainerProject: docker compose up -d. The project's networks and volumes made where
/// missing, its services started in their dependencies' order; a service whose configuration
/// did not change is left running, one that changed is made anew. -WhatIf says, container by
/// container, what would be made, made anew (and which fields changed), started or removed.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "ContainerProject", SupportsShouldProcess = true, DefaultParameterSetName = ByPath)]
[OutputType(typeof(ContainerInfo))]
public sealed class StartContainerProjectCommand : ProjectCmdlet
{
    /// <summary>Returns once every service runs, healthy where it has a healthcheck (docker compose up --wait).</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>Builds the services' images first, even those the store has (--build).</summary>
    [Parameter]
    public SwitchParameter Build { get; set; }

    /// <summary>Makes every container anew, changed or not (--force-recreate).</summary>
    [Parameter]
    public SwitchParameter ForceRecreate { get; set; }

    /// <summary>Recreates, without asking, a volume of the project whose configuration changed (its data is lost).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>How long a dependency's condition, and -Wait, may take.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int TimeoutSeconds { get; set; } = 300;

    protected override void EndProcessing() => ForEachItem(() =>
    {
        var project = LoadProject();
        var volumeChanges = Engine.Projects.PlanVolumes(project).Where(v => v.Kind != VolumeActionKind.Keep).ToList();
        if (IsWhatIf)
        {
            foreach (var action in volumeChanges)
                ShouldProcess(action.ToString(), null, null);
            foreach (var action in Engine.Projects.Plan(project, ForceRecreate).Changes)
                ShouldProcess(action.ToString(), null, null);
            return;
        }
        if (!ShouldProcess(project.Name, "Start the project"))
            return;
        // asked here, on the pipeline's thread, before up runs on its own
        var recreate = new HashSet<string>(StringComparer.Ordinal);
        foreach (var volume in volumeChanges.Where(v => v.Kind == VolumeActionKind.Recreate))
            if (Force || ShouldContinue(volume.Question, "Recreate a volume"))
                recreate.Add(volume.Key);
            else
                WriteWarning(volume.Kept);
        var options = new ProjectUpOptions
        {
            Wait = Wait, Build = Build, ForceRecreate = ForceRecreate, RecreateVolumes = recreate, Timeout = TimeSpan.FromSeconds(TimeoutSeconds),
        };
        WriteObject(PipelineRelay.Run(this, log => Engine.Projects.Up(project, options, log.Note, Cancellation)), enumerateCollection: true);
    });
}
