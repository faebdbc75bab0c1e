using System.Collections;
using System.Management.Automation;
using Container.Module.Completers;
using Container.Runtime.Containers;

namespace Container.Module.Cmdlets;

/// <summary>New-Container: a container from an image, ready to start (docker create).</summary>
[Cmdlet(VerbsCommon.New, "Container", SupportsShouldProcess = true)]
[OutputType(typeof(ContainerInfo))]
public sealed class NewContainerCommand : ContainerCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Reference")]
    [ArgumentCompleter(typeof(ImageNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Image { get; set; } = "";

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

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
    [ValidateNotNullOrEmpty]
    public string? User { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Hostname { get; set; }

    [Parameter]
    public Hashtable? Label { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(RuntimeNameCompleter))]
    public string? Runtime { get; set; }

    protected override void ProcessRecord()
    {
        if (!ShouldProcess(Name ?? Image, $"Create a container from image '{Image}'"))
            return;
        ForEachItem(() => WriteObject(Engine.Containers.Create(new ContainerSpec
        {
            Image = Image,
            Name = Name,
            Command = Command,
            Entrypoint = Entrypoint,
            Environment = HashtableConversion.ToDictionary(Environment),
            WorkingDirectory = WorkingDirectory,
            User = User,
            Hostname = Hostname,
            Labels = HashtableConversion.ToDictionary(Label),
            Runtime = Runtime,
        })));
    }
}
