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
        if (ParameterSetName == ParameterSets.ByInputObject)
        {
            foreach (var image in InputObject)
                ForEachItem(() => Remove(Engine.Images.TargetOf(image)));
            return;
        }
        foreach (var reference in ParameterSetName == ParameterSets.ById ? Id : Name)
            ForEachItem(() =>
            {
                foreach (var target in Engine.Images.SelectTargets(reference))
                    Remove(target);
            });
    }

    private void Remove(ImageTarget target)
    {
        if (ShouldProcess(target.ToString(), "Remove image"))
            ForEachItem(() => Engine.Images.Remove(target.Reference, Force));
    }
}
