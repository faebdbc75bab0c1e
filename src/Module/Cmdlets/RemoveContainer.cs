using System.Management.Automation;

namespace Container.Module.Cmdlets;

/// <summary>Remove-Container: the container and everything it left behind (docker rm).</summary>
[Cmdlet(VerbsCommon.Remove, "Container", SupportsShouldProcess = true, DefaultParameterSetName = ParameterSets.ByName)]
[OutputType(typeof(void))]
public sealed class RemoveContainerCommand : ContainerTargetCmdlet
{
    /// <summary>Kills a running container first.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Removes its anonymous volumes too, those no other container uses (docker rm -v).</summary>
    [Parameter]
    public SwitchParameter Volumes { get; set; }

    protected override void ProcessContainer(string reference)
    {
        var container = Engine.Containers.Get(reference);
        if (!ShouldProcess(container.Name, "Remove"))
            return;
        Engine.Containers.Remove(reference, Force, Volumes);
    }
}
