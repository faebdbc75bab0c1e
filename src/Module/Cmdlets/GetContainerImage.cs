using System.Management.Automation;
using Container.Runtime.Images;

namespace Container.Module.Cmdlets;

/// <summary>Get-ContainerImage: the images in the store (docker images).</summary>
[Cmdlet(VerbsCommon.Get, "ContainerImage")]
[OutputType(typeof(ContainerImage))]
public sealed class GetContainerImageCommand : ContainerCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Reference")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(Completers.ImageNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    protected override void ProcessRecord()
    {
        if (Name == null)
        {
            WriteObject(Engine.Images.List(), enumerateCollection: true);
            return;
        }
        foreach (var name in Name)
            ForEachItem(() => WriteObject(Engine.Images.Select(name), enumerateCollection: true));
    }
}
