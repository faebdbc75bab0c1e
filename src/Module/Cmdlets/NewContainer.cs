using System.Management.Automation;
using Container.Runtime.Containers;

namespace Container.Module.Cmdlets;

/// <summary>New-Container: a container from an image, ready to start (docker create).</summary>
[Cmdlet(VerbsCommon.New, "Container", SupportsShouldProcess = true)]
[OutputType(typeof(ContainerInfo))]
public sealed class NewContainerCommand : ContainerCreationCmdlet
{
    protected override void ProcessRecord()
    {
        if (!ShouldProcess(Name ?? Image, $"Create a container from image '{Image}'"))
            return;
        ForEachItem(() => WriteObject(Engine.Containers.Create(Spec(AutoRemove))));
    }
}
