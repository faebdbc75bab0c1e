using System.Management.Automation;
using Container.Module.Completers;
using Container.Runtime.Images;

namespace Container.Module.Cmdlets;

/// <summary>Export-ContainerImage: images to an archive that docker/podman load and skopeo read (docker save).</summary>
[Cmdlet(VerbsData.Export, "ContainerImage", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ExportContainerImageCommand : ContainerCmdlet
{
    private readonly List<string> names = [];

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Reference")]
    [ArgumentCompleter(typeof(ImageNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    [Parameter]
    public ImageArchiveFormat Format { get; set; } = ImageArchiveFormat.DockerArchive;

    /// <summary>Every image from the pipeline goes into the one archive.</summary>
    protected override void ProcessRecord() => names.AddRange(Name);

    protected override void EndProcessing()
    {
        var path = GetUnresolvedProviderPathFromPSPath(Path);
        if (!ShouldProcess(path, $"Export {string.Join(", ", names)} as {Format}"))
            return;
        ForEachItem(() =>
        {
            Engine.Exporter.Export(names, path, Format);
            WriteObject(new FileInfo(path));
        });
    }
}
