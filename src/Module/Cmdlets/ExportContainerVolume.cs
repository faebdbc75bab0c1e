using System.Management.Automation;
using Container.Module.Completers;

namespace Container.Module.Cmdlets;

/// <summary>Export-ContainerVolume: a volume's files as a tar archive, owners, modes, extended attributes and hard links kept.</summary>
[Cmdlet(VerbsData.Export, "ContainerVolume", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ExportContainerVolumeCommand : ContainerCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(VolumeNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    protected override void ProcessRecord()
    {
        var path = GetUnresolvedProviderPathFromPSPath(Path);
        if (!ShouldProcess(Name, $"Export the volume's files to '{path}'"))
            return;
        ForEachItem(() =>
        {
            Engine.Volumes.Export(Name, path);
            WriteObject(new FileInfo(path));
        });
    }
}
