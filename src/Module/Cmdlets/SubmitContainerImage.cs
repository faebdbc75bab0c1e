using System.Management.Automation;
using Container.Module.Completers;
using Container.Runtime.Images;

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

    /// <summary>The manifest format pushed (docker push keeps the image's; podman push --format); the image's own by default.</summary>
    [Parameter]
    [ValidateSet("Docker", "Oci")]
    public string? Format { get; set; }

    /// <summary>The layers' compression pushed (podman push --compression-format); the layers as they are by default.</summary>
    [Parameter]
    [ValidateSet("gzip", "zstd")]
    public string? Compression { get; set; }

    protected override void ProcessRecord()
    {
        if (!ShouldProcess(Destination ?? Name, $"Push image '{Name}'"))
            return;
        ForEachItem(() =>
        {
            var conversion = ImageConversion.Parse(Format, Compression);
            WithProgress(1, progress => Registries.Push(Name, Destination, Login, progress, Cancellation, conversion));
        });
    }
}
