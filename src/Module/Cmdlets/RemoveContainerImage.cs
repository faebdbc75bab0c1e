using System.Management.Automation;
using Container.Module.Completers;
using Container.Runtime.Images;

namespace Container.Module.Cmdlets;

/// <summary>
/// Remove-ContainerImage: removes names, and images left with none, with whatever no other
/// image or container needs (docker rmi).
/// </summary>
[Cmdlet(VerbsCommon.Remove, "ContainerImage", SupportsShouldProcess = true, DefaultParameterSetName = ParameterSets.ByName)]
[OutputType(typeof(void))]
public sealed class RemoveContainerImageCommand : ContainerCmdlet
{
    [Parameter(ParameterSetName = ParameterSets.ByName, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ImageNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    [Parameter(ParameterSetName = ParameterSets.ById, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Id { get; set; } = [];

    [Parameter(ParameterSetName = ParameterSets.ByInputObject, Mandatory = true, ValueFromPipeline = true)]
    public ContainerImage[] InputObject { get; set; } = [];

    /// <summary>Removes an image with several names, or one containers use (they keep its layers).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        var references = ParameterSetName switch
        {
            ParameterSets.ById => Id,
            // an object stands for the name it shows, or for the image when it has none
            ParameterSets.ByInputObject => InputObject.Select(i => i.Reference ?? i.Id).ToArray(),
            _ => Name,
        };
        foreach (var reference in references)
            ForEachItem(() =>
            {
                foreach (var image in Engine.Images.Select(reference))
                {
                    var target = image.Reference ?? image.Id;
                    if (ShouldProcess(image.ToString(), "Remove image"))
                        ForEachItem(() => Engine.Images.Remove(Runtime.Text.Wildcard.IsPattern(reference) ? target : reference, Force));
                }
            });
    }
}
