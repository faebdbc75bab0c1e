using System.Collections;
using System.Management.Automation;
using Container.Runtime.Images;

namespace Container.Module.Cmdlets;

/// <summary>
/// Import-ContainerImage: images from a docker save archive, an OCI archive or layout, or a
/// root filesystem tarball or directory (docker load, docker import).
/// </summary>
[Cmdlet(VerbsData.Import, "ContainerImage", SupportsShouldProcess = true)]
[OutputType(typeof(ContainerImage))]
public sealed class ImportContainerImageCommand : ContainerCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>The image's name: needed for a root filesystem; for an archive it replaces the archive's names.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>A root filesystem image's default command (its Cmd).</summary>
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
        if (!ShouldProcess(path, Name != null ? $"Import as image '{Name}'" : "Import images"))
            return;
        ForEachItem(() =>
        {
            var name = Name != null ? ImageReference.Parse(Name) : null;
            var defaults = ImageDefaults.From(Command, HashtableConversion.ToDictionary(Environment), WorkingDirectory);
            var images = WithProgress(1, progress => Engine.Importer.Import(path, name, defaults, progress, Cancellation));
            WriteObject(images, enumerateCollection: true);
        });
    }
}
