using System.Management.Automation;
using Container.Runtime.Compose;
using Container.Runtime.Logs;

namespace Container.Module.Cmdlets;

/// <summary>
/// Get-ContainerProjectLog: docker compose logs, what a project's containers wrote as one
/// stream in time order, each line with its service and container; -Follow goes on until every
/// container has ended, or Ctrl+C. -Tail, -Since and -Timestamps as Get-ContainerLog takes them.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ContainerProjectLog", DefaultParameterSetName = ByPath)]
[OutputType(typeof(ProjectLogEntry))]
public sealed class GetContainerProjectLogCommand : ProjectCmdlet
{
    /// <summary>Only these services' containers (names or wildcards); all by default.</summary>
    [Parameter(Position = 1)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Service { get; set; } = [];

    [Parameter]
    public SwitchParameter Follow { get; set; }

    /// <summary>The last N entries of each container.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? Tail { get; set; }

    [Parameter]
    [SinceTransformation]
    public DateTimeOffset? Since { get; set; }

    [Parameter]
    public SwitchParameter Timestamps { get; set; }

    protected override void ProcessRecord() => ForEachItem(() =>
    {
        var query = new LogQuery(Tail, Since);
        var entries = Follow
            ? Engine.ProjectLogs.Follow(Selection, Service, query, Cancellation)
            : Engine.ProjectLogs.Read(Selection, Service, query);
        foreach (var entry in entries)
            WriteObject(TimestampedView.Of(entry, Timestamps));
    });
}
