using System.Management.Automation;
using Container.Module.Completers;
using Container.Runtime.Containers;

namespace Container.Module.Cmdlets;

/// <summary>
/// Stop-Container: the container's stop signal, then SIGKILL after -Timeout seconds (docker
/// stop); -Force kills at once; -Signal sends that signal alone and returns (docker kill -s).
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "Container", SupportsShouldProcess = true, DefaultParameterSetName = ParameterSets.ByName)]
[OutputType(typeof(ContainerInfo))]
public sealed class StopContainerCommand : ContainerTargetCmdlet
{
    /// <summary>Seconds to wait after the stop signal; else the container's -StopTimeout, else 10.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? Timeout { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(SignalCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Signal { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessContainer(string reference)
    {
        var container = Engine.Containers.Get(reference);
        var action = Signal != null ? $"Send signal {Signal}" : Force ? "Kill" : "Stop";
        if (!ShouldProcess(container.Name, action))
            return;
        var after = Signal != null
            ? Engine.Containers.Kill(reference, Signal)
            : Engine.Containers.Stop(reference, Seconds(Timeout), Force);
        if (PassThru)
            WriteObject(after);
    }
}
