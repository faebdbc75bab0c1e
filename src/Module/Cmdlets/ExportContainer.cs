using System.Management.Automation;

namespace Container.Module.Cmdlets;

/// <summary>Export-Container: a container's files as a tar archive (docker export).</summary>
[Cmdlet(VerbsData.Export, "Container", SupportsShouldProcess = true, DefaultParameterSetName = ParameterSets.ByName)]
[OutputType(typeof(FileInfo))]
public sealed class ExportContainerCommand : ContainerTargetCmdlet
{
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    protected override void ProcessContainer(string reference)
    {
        var container = Engine.Containers.Get(reference);
        var path = GetUnresolvedProviderPathFromPSPath(Path);
        if (!ShouldProcess(container.Name, $"Export the files to '{path}'"))
            return;
        Engine.Containers.ExportFilesystem(reference, path);
        WriteObject(new FileInfo(path));
    }
}
