using System.Management.Automation;
using Container.Module.Completers;
using Container.Runtime.Containers;

namespace Container.Module.Cmdlets;

/// <summary>
/// Set-CgroupLimit: changes containers' limits, live when they run and for their next start
/// (docker update). Each change is planned once: -WhatIf shows each limit's old and new value,
/// a memory limit under what the container uses now warns, and the plan confirmed is the one
/// applied. The limits in force are returned.
/// </summary>
[Cmdlet(VerbsCommon.Set, "CgroupLimit", SupportsShouldProcess = true, DefaultParameterSetName = ParameterSets.ByName)]
[OutputType(typeof(ContainerLimits))]
public sealed class SetCgroupLimitCommand : LimitsCmdlet
{
    [Parameter(ParameterSetName = ParameterSets.ByName, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ContainerNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    [Parameter(ParameterSetName = ParameterSets.ById, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Id { get; set; } = [];

    [Parameter(ParameterSetName = ParameterSets.ByInputObject, Mandatory = true, ValueFromPipeline = true)]
    public ContainerInfo[] InputObject { get; set; } = [];

    private ResourceLimits change = new();

    /// <summary>The limits are read once, before any container: a bad one stops the command.</summary>
    protected override void BeginProcessing()
    {
        try
        {
            change = GivenLimits().ToChange();
        }
        catch (Runtime.Errors.ContainerException e)
        {
            ThrowTerminatingError(ErrorRecords.From(e));
        }
    }

    protected override void ProcessRecord()
    {
        ForEachContainer(ParameterSetName switch
        {
            ParameterSets.ById => Id,
            ParameterSets.ByInputObject => InputObject.Select(c => c.Id),
            _ => Name,
        }, reference =>
        {
            var plan = Engine.Containers.PlanLimits(reference, change);
            foreach (var warning in plan.Warnings)
                WriteWarning(warning);
            if (ShouldProcess(plan.Container, $"Set limits: {plan.Description}"))
                WriteObject(Engine.Containers.ApplyLimits(plan));
        });
    }
}
