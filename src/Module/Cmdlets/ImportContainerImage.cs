using System.Collections;
using System.Management.Automation;
using Container.Runtime.Images;

namespace Container.Module.Cmdlets;

/// <summary>Import-ContainerImage: an image from a root filesystem directory (docker import).</summary>
[Cmdlet(VerbsData.Import, "ContainerImage", SupportsShouldProcess = true)]
[OutputType(typeof(ContainerImage))]
public sealed class ImportContainerImageCommand : ContainerCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>The image's default command (its Cmd).</summary>
    [Parameter]
    public string[]? Command { get; set; }

    [Parameter]
    public Hashtable? Environment { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? WorkingDirectory { get; set; }

    protected override void ProcessRecord()
    {
        var path = GetUnresolvedProviderPathFromPSPath(Path);
        if (!ShouldProcess(path, $"Import as image '{Name}'"))
            return;
        ForEachItem(() => WriteObject(Engine.Images.ImportRootfsDirectory(path, ImageReference.Parse(Name),
            ImageDefaults.From(Command, HashtableConversion.ToDictionary(Environment), WorkingDirectory))));
    }
}
