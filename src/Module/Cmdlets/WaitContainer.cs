using System.Management.Automation;
using Container.Runtime.Containers;

namespace Container.Module.Cmdlets;

/// <summary>Wait-Container: blocks until containers exit and returns their exit codes (docker wait).</summary>
[Cmdlet(VerbsLifecycle.Wait, "Container", DefaultParameterSetName = ParameterSets.ByName)]
[OutputType(typeof(int))]
public sealed class WaitContainerCommand : ContainerTargetCmdlet
{
    /// <summary>Seconds to wait at most; by default, as long as it takes.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? Timeout { get; set; }

    protected override void ProcessContainer(string reference)
    {
        var exited = Engine.Containers.Wait(reference, Seconds(Timeout), Cancellation);
        WriteObject(exited.ExitCode ?? ContainerInfo.UnknownExitCode);
    }
}
