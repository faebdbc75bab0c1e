using System.Collections;
using System.Management.Automation;
using Container.Module.Completers;
using Container.Runtime.Containers;
using Container.Runtime.Images;

namespace Container.Module.Cmdlets;

/// <summary>ConvertTo-ContainerImage: a new image from a container's changes (docker commit).</summary>
[Cmdlet(VerbsData.ConvertTo, "ContainerImage", SupportsShouldProcess = true)]
[OutputType(typeof(ContainerImage))]
public sealed class ConvertToContainerImageCommand : ContainerCmdlet
{
    /// <summary>The container: a name or an id (container objects bind by their Id).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ArgumentCompleter(typeof(ContainerNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Container { get; set; } = "";

    /// <summary>The new image's name.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    [Parameter]
    public string[]? Command { get; set; }

    [Parameter]
    public string[]? Entrypoint { get; set; }

    [Parameter]
    public Hashtable? Environment { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? WorkingDirectory { get; set; }

    [Parameter]
    public string? Author { get; set; }

    [Parameter]
    public string? Message { get; set; }

    protected override void ProcessRecord()
    {
        if (!ShouldProcess(Container, $"Commit as image '{Name}'"))
            return;
        ForEachItem(() => WriteObject(Engine.Containers.Commit(Container, ImageReference.Parse(Name), new CommitOptions
        {
            Command = Command,
            Entrypoint = Entrypoint,
            Environment = HashtableConversion.ToDictionary(Environment),
            WorkingDirectory = WorkingDirectory,
            Author = Author,
            Message = Message,
        })));
    }
}
