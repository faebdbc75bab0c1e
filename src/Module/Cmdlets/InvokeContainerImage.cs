using System.Management.Automation;
using Container.Runtime.Containers;
using Container.Runtime.Terminals;

namespace Container.Module.Cmdlets;

/// <summary>
/// Invoke-ContainerImage: create and start a container (docker run). By default stays with it
/// and writes what it prints: its output to the pipeline, its errors to the error stream, its
/// exit code to $LASTEXITCODE (125, 126, 127 when its command could not run); Ctrl+C passes
/// SIGINT to it. Pipeline input is its stdin; -Interactive gives it this session's stdin
/// otherwise, and with -Tty this terminal (docker run -it). -Detach returns the running
/// container instead; -Remove removes it once it exits.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "ContainerImage", SupportsShouldProcess = true)]
[OutputType(typeof(string), typeof(ContainerInfo))]
public sealed class InvokeContainerImageCommand : ContainerCreationCmdlet
{
    private const int StandardInputFd = 0, StandardOutputFd = 1;

    [Parameter]
    public SwitchParameter Detach { get; set; }

    /// <summary>A line of the container's stdin: what the pipeline brings.</summary>
    [Parameter(ValueFromPipeline = true)]
    public PSObject? StandardInput { get; set; }

    protected override void ProcessRecord()
    {
        if (StandardInput == null)
            Run(Interactive ? ProcessInput.FromDescriptor(StandardInputFd) : null);
        else if (Detach || (Tty && Interactive))
            GatherInput(StandardInput); // taken by neither: ignored, as docker run -d and -it ignore a pipe
        else
            StreamInput(StandardInput, StartStreamed);
    }

    protected override void EndProcessing()
    {
        if (!EndStreamedInput() && GatheredInput is { } input)
            Run(input);
    }

    private StreamedInput? StartStreamed()
    {
        if (!ShouldProcess(Name ?? Image, $"Run a container from image '{Image}'"))
            return null;
        ContainerSpec spec;
        try
        {
            spec = Spec(AutoRemove);
        }
        catch (Container.Runtime.Errors.ContainerException e)
        {
            SetLastExitCode(e.ExitCode);
            throw;
        }
        return new StreamedInput(Cancellation, Name ?? Image, (emit, cancellation, input) =>
            Engine.Containers.Run(spec, AutoRemove, emit, cancellation, input).ExitCode ?? ContainerInfo.UnknownExitCode);
    }

    private void Run(ProcessInput? input)
    {
        if (!ShouldProcess(Name ?? Image, $"Run a container from image '{Image}'"))
            return;
        // the spec (its image pulled) within each way of running: an image that cannot be had is a failure to run, 125
        if (Detach)
            ForEachItem(() => WriteObject(Engine.Containers.RunDetached(Spec(AutoRemove), Cancellation)));
        else if (Tty && Interactive)
            RunAsNativeCommand(() =>
            {
                using var session = Engine.Containers.RunInTerminal(Spec(AutoRemove), AutoRemove);
                return TerminalRelay.Run(session, StandardInputFd, StandardOutputFd);
            });
        else
            RunAsNativeCommand(() =>
            {
                var spec = Spec(AutoRemove);
                return WithOutputLines(Name ?? Image, (emit, cancellation) => Engine.Containers.Run(spec, AutoRemove, emit, cancellation, input))
                    .ExitCode ?? ContainerInfo.UnknownExitCode;
            });
    }
}
