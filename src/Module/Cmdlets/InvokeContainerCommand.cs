using System.Management.Automation;

namespace Container.Module.Cmdlets;

/// <summary>
/// Invoke-ContainerCommand: runs a command in running containers (docker exec): its output
/// lines to the pipeline as they come, its errors to the error stream, its exit code to
/// $LASTEXITCODE. Ctrl+C ends it.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "ContainerCommand", SupportsShouldProcess = true, DefaultParameterSetName = ParameterSets.ByName)]
[OutputType(typeof(string))]
public sealed class InvokeContainerCommandCommand : ExecCmdlet
{
    /// <summary>-Command ls,-l,/ or the words after the container's name.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromRemainingArguments = true)]
    [ValidateNotNullOrEmpty]
    public string[] Command { get; set; } = [];

    protected override void ProcessContainer(string reference)
    {
        var container = Engine.Containers.Get(reference);
        if (!ShouldProcess(container.Name, $"Run '{string.Join(' ', Command)}'"))
            return;
        var spec = SpecFor(Command);
        var exitCode = WithOutputLines(container.Name, (emit, cancellation) => Engine.Containers.Exec(reference, spec, emit, cancellation));
        SetLastExitCode(exitCode);
    }
}
