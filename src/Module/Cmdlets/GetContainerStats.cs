using System.Management.Automation;
using Container.Module.Completers;
using Container.Runtime.Containers;

namespace Container.Module.Cmdlets;

/// <summary>
/// Get-ContainerStats: CPU, memory, pids, block and network IO of running containers (docker
/// stats): every running one, or those named; one sample each, or -Stream one every -Interval
/// seconds until Ctrl+C.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ContainerStats", DefaultParameterSetName = ParameterSets.ByName)]
[OutputType(typeof(ContainerStats))]
public sealed class GetContainerStatsCommand : ContainerCmdlet
{
    private readonly List<string> ids = [];
    private bool everyRunning;

    [Parameter(ParameterSetName = ParameterSets.ByName, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ContainerNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    [Parameter(ParameterSetName = ParameterSets.ById, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Id { get; set; } = [];

    [Parameter(ParameterSetName = ParameterSets.ByInputObject, Mandatory = true, ValueFromPipeline = true)]
    public ContainerInfo[] InputObject { get; set; } = [];

    [Parameter]
    public SwitchParameter Stream { get; set; }

    /// <summary>Seconds between samples of a stream.</summary>
    [Parameter]
    [ValidateRange(0.1, 3600)]
    public double Interval { get; set; } = 1;

    protected override void ProcessRecord()
    {
        IEnumerable<string>? references = ParameterSetName switch
        {
            ParameterSets.ById => Id,
            ParameterSets.ByInputObject => InputObject.Select(c => c.Id),
            _ => Name,
        };
        if (references == null)
            everyRunning = true;
        else if (Stream)
            ForEachContainer(references, reference => ids.Add(Engine.Containers.Resolve(reference)));
        else
            ForEachContainer(references, reference => WriteObject(Engine.Containers.Stats(reference)));
    }

    /// <summary>The stream, or the sample of every running container, goes out once all are named.</summary>
    protected override void EndProcessing()
    {
        if (!Stream)
        {
            if (everyRunning)
                WriteObject(Engine.Containers.StatsOfRunning(), enumerateCollection: true);
            return;
        }
        foreach (var samples in Engine.Containers.StreamStats(everyRunning ? null : ids, TimeSpan.FromSeconds(Interval), Cancellation))
            WriteObject(samples, enumerateCollection: true);
    }
}
