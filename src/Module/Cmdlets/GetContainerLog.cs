using System.Management.Automation;
using Container.Runtime.Logs;

namespace Container.Module.Cmdlets;

/// <summary>Get-ContainerLog: what a container wrote, as objects (docker logs).</summary>
[Cmdlet(VerbsCommon.Get, "ContainerLog", DefaultParameterSetName = ParameterSets.ByName)]
[OutputType(typeof(LogEntry))]
public sealed class GetContainerLogCommand : ContainerTargetCmdlet
{
    protected override void ProcessContainer(string id)
    {
        foreach (var entry in Engine.Containers.ReadLog(id))
            WriteObject(entry);
    }
}
