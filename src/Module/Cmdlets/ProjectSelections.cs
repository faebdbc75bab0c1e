using System.Management.Automation;
using Container.Runtime.Compose;

namespace Container.Module.Cmdlets;

/// <summary>
/// -Path, -File and -ProjectName as the project they select, the one way every cmdlet that takes
/// a compose project reads them: paths from the session's location, -Path only when given.
/// </summary>
internal static class ProjectSelections
{
    public static ProjectSelection Of(PSCmdlet cmdlet, string path, IEnumerable<string> files, string? name) => new(
        cmdlet.SessionState.Path.CurrentFileSystemLocation.ProviderPath,
        cmdlet.MyInvocation.BoundParameters.ContainsKey("Path") ? cmdlet.GetUnresolvedProviderPathFromPSPath(path) : null,
        files.Select(cmdlet.GetUnresolvedProviderPathFromPSPath).ToList(),
        name);
}
