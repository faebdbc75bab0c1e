using System.Management.Automation;
using Container.Module.Completers;
using Container.Runtime.Images;

namespace Container.Module.Cmdlets;

/// <summary>Add-ContainerImageTag: another name for an image (docker tag).</summary>
[Cmdlet(VerbsCommon.Add, "ContainerImageTag", SupportsShouldProcess = true)]
[OutputType(typeof(ContainerImage))]
public sealed class AddContainerImageTagCommand : ContainerCmdlet
{
    /// <summary>The image to tag: a name or an id.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Reference")]
    [ArgumentCompleter(typeof(ImageNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>The new name (busybox:stable, registry:5000/team/app:v2).</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Tag { get; set; } = "";

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        if (!ShouldProcess(Name, $"Tag as '{Tag}'"))
            return;
        ForEachItem(() =>
        {
            var tagged = Engine.Images.Tag(Name, ImageReference.Parse(Tag));
            if (PassThru)
                WriteObject(tagged);
        });
    }
}
