using System.Management.Automation;
using Container.Runtime.Containers;
using Container.Runtime.Text;

namespace Container.Module.Cmdlets;

/// <summary>
/// Invoke-ContainerCommand: runs a command in running containers (docker exec): its output
/// lines to the pipeline as they come, its errors to the error stream, its exit code to
/// $LASTEXITCODE (125, 126, 127 when it could not run). Pipeline input is its stdin, as a
/// native command's: to one container, streamed as it comes; to several, given to each once
/// it has all come. Ctrl+C ends it.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "ContainerCommand", SupportsShouldProcess = true, DefaultParameterSetName = ParameterSets.ByName)]
[OutputType(typeof(string))]
public sealed class InvokeContainerCommandCommand : ExecCmdlet
{
    /// <summary>-Command ls,-l,/ or the words after the container's name.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromRemainingArguments = true)]
    [ValidateNotNullOrEmpty]
    public string[] Command { get; set; } = [];

    /// <summary>A line of the command's stdin: what the pipeline brings when the container is named.</summary>
    [Parameter(ParameterSetName = ParameterSets.ByName, ValueFromPipeline = true)]
    [Parameter(ParameterSetName = ParameterSets.ById, ValueFromPipeline = true)]
    public PSObject? StandardInput { get; set; }

    /// <summary>The command to run: -Command, or with a container piped in, the words before it too.</summary>
    private string[] commandWords = [];

    /// <summary>Whether -Name came from the command line (before any input: then nothing was bound from the pipeline).</summary>
    private bool nameOnCommandLine;

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        nameOnCommandLine = MyInvocation.BoundParameters.ContainsKey(nameof(Name));
    }

    protected override void ProcessRecord()
    {
        commandWords = Command;
        if (StandardInput?.BaseObject is ContainerInfo piped)
        {
            // a container piped in is where the command runs, never its stdin; the binder gave
            // -Name the first word by position (Get-Container web | Invoke-ContainerCommand -- ls -l)
            if (nameOnCommandLine)
                commandWords = [.. Name, .. Command];
            ForEachItem(() => ProcessContainer(piped.Id));
            return;
        }
        if (StandardInput == null)
            base.ProcessRecord();
        else if (OneContainer() is { } reference)
            StreamInput(StandardInput, () => StartStreamed(reference));
        else
            GatherInput(StandardInput); // each container's command runs once the input has all come
    }

    protected override void EndProcessing()
    {
        if (!EndStreamedInput() && GatheredInput != null)
            base.ProcessRecord();
    }

    /// <summary>The one container named without wildcards, whose command takes the pipeline's input as it comes.</summary>
    private string? OneContainer() => ParameterSetName switch
    {
        ParameterSets.ById when Id.Length == 1 => Id[0],
        ParameterSets.ByName => Wildcard.SoleLiteral(Name),
        _ => null,
    };

    private StreamedInput? StartStreamed(string reference)
    {
        var name = Engine.Containers.Get(reference).Name;
        if (!ShouldProcess(name, $"Run '{string.Join(' ', commandWords)}'"))
            return null;
        var spec = SpecFor(commandWords);
        return new StreamedInput(Cancellation, name, (emit, cancellation, input) => Engine.Containers.Exec(reference, spec, emit, cancellation, input));
    }

    protected override void ProcessContainer(string reference)
    {
        var container = Engine.Containers.Get(reference);
        if (!ShouldProcess(container.Name, $"Run '{string.Join(' ', commandWords)}'"))
            return;
        var spec = SpecFor(commandWords);
        RunAsNativeCommand(() => WithOutputLines(container.Name, (emit, cancellation) => Engine.Containers.Exec(reference, spec, emit, cancellation, GatheredInput)));
    }
}
