using System.Management.Automation;

namespace Container.Module.Cmdlets;

/// <summary>Get-ContainerRegistryTag: the tags of a repository in a registry (skopeo list-tags), one string each.</summary>
[Cmdlet(VerbsCommon.Get, "ContainerRegistryTag")]
[OutputType(typeof(string))]
public sealed class GetContainerRegistryTagCommand : RegistryCmdlet
{
    /// <summary>registry/repository, as localhost:5000/team/app.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public string[] Repository { get; set; } = [];

    protected override void ProcessRecord()
    {
        foreach (var repository in Repository)
            ForEachItem(() => WriteObject(Registries.Tags(repository, Login, Cancellation), enumerateCollection: true));
    }
}
