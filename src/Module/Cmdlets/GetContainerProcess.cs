using System.Management.Automation;
using Container.Runtime.Containers;

namespace Container.Module.Cmdlets;

/// <summary>Get-ContainerProcess: the processes running in containers, with host and container pids (docker top).</summary>
[Cmdlet(VerbsCommon.Get, "ContainerProcess", DefaultParameterSetName = ParameterSets.ByName)]
[OutputType(typeof(ContainerProcess))]
public sealed class GetContainerProcessCommand : ContainerTargetCmdlet
{
    protected override void ProcessContainer(string reference)
    {
        foreach (var process in Engine.Containers.Processes(reference))
            WriteObject(process);
    }
}
