using System.Management.Automation;
using Container.Module.Completers;
using Container.Runtime.Containers;

namespace Container.Module.Cmdlets;

/// <summary>
/// Connect-ContainerNetwork and Disconnect-ContainerNetwork: a network (-Network, first) and the
/// containers (-Container: names, ids or wildcards, strings from the pipeline; -Id by property
/// name; container objects from the pipeline), each changed on its own after ShouldProcess.
/// </summary>
public abstract class NetworkConnectionCmdlet : ContainerCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ArgumentCompleter(typeof(NetworkNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Network { get; set; } = "";

    [Parameter(ParameterSetName = ParameterSets.ByName, Mandatory = true, Position = 1, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ContainerNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Container { get; set; } = [];

    [Parameter(ParameterSetName = ParameterSets.ById, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Id { get; set; } = [];

    [Parameter(ParameterSetName = ParameterSets.ByInputObject, Mandatory = true, ValueFromPipeline = true)]
    public ContainerInfo[] InputObject { get; set; } = [];

    /// <summary>Writes each container, as it is after the change.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>What ShouldProcess says is done to each container.</summary>
    protected abstract string Action { get; }

    /// <summary>The change, for one container.</summary>
    protected abstract ContainerInfo Change(string reference);

    protected override void ProcessRecord() => ForEachContainer(ParameterSetName switch
    {
        ParameterSets.ById => Id,
        ParameterSets.ByInputObject => InputObject.Select(c => c.Id),
        _ => Container,
    }, reference =>
    {
        if (!ShouldProcess(reference, Action))
            return;
        var changed = Change(reference);
        if (PassThru)
            WriteObject(changed);
    });
}
