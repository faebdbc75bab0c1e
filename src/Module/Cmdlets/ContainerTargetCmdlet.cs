using System.Management.Automation;
using Container.Module.Completers;
using Container.Runtime.Containers;

namespace Container.Module.Cmdlets;

/// <summary>
/// A cmdlet that acts on containers named by -Name (names, ids or wildcards; strings from
/// the pipeline), -Id (by property name) or -InputObject (container objects from the pipeline).
/// </summary>
public abstract class ContainerTargetCmdlet : ContainerCmdlet
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

    protected override void ProcessRecord() => ForEachContainer(ParameterSetName switch
    {
        ParameterSets.ById => Id,
        ParameterSets.ByInputObject => InputObject.Select(c => c.Id),
        _ => Name,
    }, ProcessContainer);

    /// <summary>The cmdlet's work for one container, given by a reference that names it as the user did.</summary>
    protected abstract void ProcessContainer(string reference);
}
