using System.Management.Automation;
using Container.Module.Completers;

namespace Container.Module.Cmdlets;

/// <summary>Submit-ContainerImage: an image of the store pushed to a registry (docker push), by its own name or -Destination.</summary>
[Cmdlet(VerbsLifecycle.Submit, "ContainerImage", SupportsShouldProcess = true)]
[OutputType(typeof(void))]
public sealed class SubmitContainerImageCommand : RegistryCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Reference")]
    [ArgumentCompleter(typeof(ImageNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>Where to push it (registry/repository:tag); the image's own name by default.</summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string? Destination { get; set; }

    protected override void ProcessRecord()
    {
        if (!ShouldProcess(Destination ?? Name, $"Push image '{Name}'"))
            return;
        ForEachItem(() => WithProgress(1, progress => Engine.Registries.Push(Name, Destination, Login, progress, Cancellation)));
    }
}
