using System.Management.Automation;
using Container.Runtime.Registries;

namespace Container.Module.Cmdlets;

/// <summary>Find-ContainerImage: the repositories of registries' catalogs that match a wildcard (docker search, podman search).</summary>
[Cmdlet(VerbsCommon.Find, "ContainerImage")]
[OutputType(typeof(RegistryRepository))]
public sealed class FindContainerImageCommand : RegistryCmdlet
{
    /// <summary>A wildcard (team/*) or a word, with its registry (localhost:5000/team/*) or without (then -Registry's, or the search registries').</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "*";

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Registry { get; set; }

    protected override void ProcessRecord() =>
        ForEachItem(() => WriteObject(Registries.Find(Name, Registry, Login, Cancellation), enumerateCollection: true));
}
