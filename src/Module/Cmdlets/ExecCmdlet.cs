using System.Collections;
using System.Management.Automation;
using Container.Runtime.Containers;

namespace Container.Module.Cmdlets;

/// <summary>A cmdlet that runs a process in running containers (docker exec), as whom, where and with what environment.</summary>
public abstract class ExecCmdlet : ContainerTargetCmdlet
{
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? User { get; set; }

    [Parameter]
    public Hashtable? Environment { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? WorkingDirectory { get; set; }

    protected ExecSpec SpecFor(IReadOnlyList<string> command) => new()
    {
        Command = command,
        User = User,
        Environment = HashtableConversion.ToDictionary(Environment),
        WorkingDirectory = WorkingDirectory,
    };
}
