using System.Management.Automation;
using Container.Runtime.Networks;

namespace Container.Module.Cmdlets;

/// <summary>
/// Repair-ContainerNetwork: every running container's firewall rules (our table, its chains,
/// the container's forwarding, masquerade and published ports) applied again from the records,
/// after the host's firewall was reloaded (firewalld, systemctl restart nftables).
/// </summary>
[Cmdlet(VerbsDiagnostic.Repair, "ContainerNetwork", SupportsShouldProcess = true)]
[OutputType(typeof(NetworkRepair))]
public sealed class RepairContainerNetworkCommand : ContainerCmdlet
{
    protected override void ProcessRecord()
    {
        foreach (var container in Engine.Containers.WithNetworkSetUp())
            if (ShouldProcess(container.Name, "Apply the container's firewall rules again"))
                ForEachItem(() =>
                {
                    if (Engine.Containers.RepairNetwork(container.Id) is { } repaired)
                        WriteObject(repaired);
                });
    }
}
