using System.Collections;
using System.Management.Automation;
using Container.Runtime.Volumes;

namespace Container.Module.Cmdlets;

/// <summary>Import-ContainerVolume: a new volume holding a tar archive's files (Export-ContainerVolume's, or any tar, plain or gzip).</summary>
[Cmdlet(VerbsData.Import, "ContainerVolume", SupportsShouldProcess = true)]
[OutputType(typeof(ContainerVolume))]
public sealed class ImportContainerVolumeCommand : ContainerCmdlet
{
    /// <summary>The archive; Export-ContainerVolume's FileInfo objects come from the pipeline as FullName.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    [Parameter]
    public Hashtable? Label { get; set; }

    protected override void ProcessRecord()
    {
        var path = GetUnresolvedProviderPathFromPSPath(Path);
        if (!ShouldProcess(Name, $"Create a volume from '{path}'"))
            return;
        ForEachItem(() => WriteObject(Engine.Volumes.Import(path, Name, HashtableConversion.ToDictionary(Label))));
    }
}
