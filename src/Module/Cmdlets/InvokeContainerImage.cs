using System.Management.Automation;
using Container.Runtime.Containers;

namespace Container.Module.Cmdlets;

/// <summary>
/// Invoke-ContainerImage: create and start a container (docker run). By default stays with it
/// and writes what it prints: its output to the pipeline, its errors to the error stream, its
/// exit code to $LASTEXITCODE; Ctrl+C passes SIGINT to it. -Detach returns the running
/// container instead; -Remove removes it once it exits.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "ContainerImage", SupportsShouldProcess = true)]
[OutputType(typeof(string), typeof(ContainerInfo))]
public sealed class InvokeContainerImageCommand : ContainerCreationCmdlet
{
    [Parameter]
    public SwitchParameter Detach { get; set; }

    protected override void ProcessRecord()
    {
        if (!ShouldProcess(Name ?? Image, $"Run a container from image '{Image}'"))
            return;
        ForEachItem(() =>
        {
            var spec = Spec(AutoRemove);
            if (Detach)
            {
                WriteObject(Engine.Containers.Start(Engine.Containers.Create(spec).Id, Cancellation));
                return;
            }
            var exited = WithOutputLines(Name ?? Image, (emit, cancellation) => Engine.Containers.Run(spec, AutoRemove, emit, cancellation));
            SetLastExitCode(exited.ExitCode ?? ContainerInfo.UnknownExitCode);
        });
    }
}
