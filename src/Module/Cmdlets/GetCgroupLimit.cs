using System.Management.Automation;
using Container.Runtime.Containers;

namespace Container.Module.Cmdlets;

/// <summary>Get-CgroupLimit: the limits set on containers (memory, CPUs, pids, block IO).</summary>
[Cmdlet(VerbsCommon.Get, "CgroupLimit", DefaultParameterSetName = ParameterSets.ByName)]
[OutputType(typeof(ContainerLimits))]
public sealed class GetCgroupLimitCommand : ContainerTargetCmdlet
{
    protected override void ProcessContainer(string reference) => WriteObject(Engine.Containers.Limits(reference));
}
