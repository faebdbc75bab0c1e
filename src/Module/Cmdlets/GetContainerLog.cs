using System.Management.Automation;
using Container.Runtime.Logs;

namespace Container.Module.Cmdlets;

/// <summary>
/// Get-ContainerLog: what a container wrote, as objects (docker logs); -Follow goes on with
/// what it writes next, until it ends or Ctrl+C. -Timestamps shows each entry's time.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ContainerLog", DefaultParameterSetName = ParameterSets.ByName)]
[OutputType(typeof(LogEntry))]
public sealed class GetContainerLogCommand : ContainerTargetCmdlet
{
    [Parameter]
    public SwitchParameter Follow { get; set; }

    /// <summary>The last N entries only.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? Tail { get; set; }

    /// <summary>Entries since a moment: a date, or a span back from now ("10m", "1h30m", a TimeSpan).</summary>
    [Parameter]
    [SinceTransformation]
    public DateTimeOffset? Since { get; set; }

    [Parameter]
    public SwitchParameter Timestamps { get; set; }

    protected override void ProcessContainer(string reference)
    {
        var query = new LogQuery(Tail, Since);
        if (!Follow)
        {
            foreach (var entry in Engine.Containers.ReadLog(reference, query))
                WriteObject(TimestampedView.Of(entry, Timestamps));
            return;
        }
        foreach (var entry in Engine.Containers.FollowLog(reference, query, Cancellation))
            WriteObject(TimestampedView.Of(entry, Timestamps));
    }
}
