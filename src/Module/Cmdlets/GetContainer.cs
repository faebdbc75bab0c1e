using System.Management.Automation;
using Container.Runtime.Containers;

namespace Container.Module.Cmdlets;

/// <summary>Get-Container: containers and their status (docker ps -a, docker inspect).</summary>
[Cmdlet(VerbsCommon.Get, "Container", DefaultParameterSetName = ParameterSets.ByName)]
[OutputType(typeof(ContainerInfo))]
public sealed class GetContainerCommand : ContainerCmdlet
{
    [Parameter(ParameterSetName = ParameterSets.ByName, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(Completers.ContainerNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    [Parameter(ParameterSetName = ParameterSets.ById, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Id { get; set; } = [];

    [Parameter]
    public ContainerStatus[]? Status { get; set; }

    protected override void ProcessRecord()
    {
        var references = ParameterSetName == ParameterSets.ById ? Id : Name;
        if (references == null)
        {
            WriteContainers(Engine.Containers.List());
            return;
        }
        foreach (var reference in references)
            ForEachItem(() => WriteContainers(Engine.Containers.Select(reference).Select(Engine.Containers.Get)));
    }

    private void WriteContainers(IEnumerable<ContainerInfo> containers)
    {
        foreach (var container in containers)
            if (Status == null || Status.Contains(container.Status))
                WriteObject(container);
    }
}
