using System.Management.Automation;
using Container.Runtime.Containers;

namespace Container.Module.Cmdlets;

/// <summary>
/// Copy-ContainerFile: copies files and directories between a container and this host
/// (docker cp): the container's side is written "name:/path". Owners, modes and times are
/// kept; paths in the container resolve inside it, links included.
/// </summary>
[Cmdlet(VerbsCommon.Copy, "ContainerFile", SupportsShouldProcess = true)]
[OutputType(typeof(void))]
public sealed class CopyContainerFileCommand : ContainerCmdlet
{
    /// <summary>What to copy: a host path, or "container:/path".</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Where to: "container:/path", or a host path.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Destination { get; set; } = "";

    protected override void ProcessRecord() => ForEachItem(() =>
    {
        var (source, destination) = CopyEndpoint.ParsePair(Path, Destination);
        // host paths are from PowerShell's location, not the process's
        source = source.ResolveHostPath(GetUnresolvedProviderPathFromPSPath);
        destination = destination.ResolveHostPath(GetUnresolvedProviderPathFromPSPath);
        if (ShouldProcess($"{source} -> {destination}", "Copy"))
            Engine.Containers.Copy(source, destination);
    });
}
