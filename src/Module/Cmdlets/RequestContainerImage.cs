using System.Management.Automation;
using Container.Runtime.Images;

namespace Container.Module.Cmdlets;

/// <summary>Request-ContainerImage: images pulled from a registry into the store (docker pull).</summary>
[Cmdlet(VerbsLifecycle.Request, "ContainerImage", SupportsShouldProcess = true)]
[OutputType(typeof(ContainerImage))]
public sealed class RequestContainerImageCommand : RegistryCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Reference")]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    /// <summary>os/architecture[/variant] of a multi-platform image (linux/arm64); this machine's by default.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Platform { get; set; }

    /// <summary>Every tag of the repository (docker pull --all-tags).</summary>
    [Parameter]
    public SwitchParameter AllTags { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var name in Name)
            ForEachItem(() =>
            {
                var platform = Platform != null ? ImagePlatform.Parse(Platform) : null;
                var references = AllTags ? Registries.TaggedReferences(name, Login, Cancellation) : [name];
                foreach (var reference in references)
                    if (ShouldProcess(reference, "Pull image"))
                        ForEachItem(() => WriteObject(WithProgress(1, progress => Registries.Pull(reference, platform, Login, progress, Cancellation))));
            });
    }
}
