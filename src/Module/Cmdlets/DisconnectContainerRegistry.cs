using System.Management.Automation;

namespace Container.Module.Cmdlets;

/// <summary>Disconnect-ContainerRegistry: a registry's stored login forgotten (docker logout).</summary>
[Cmdlet(VerbsCommunications.Disconnect, "ContainerRegistry", SupportsShouldProcess = true)]
[OutputType(typeof(void))]
public sealed class DisconnectContainerRegistryCommand : ContainerCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public string[] Registry { get; set; } = [];

    protected override void ProcessRecord()
    {
        foreach (var registry in Registry)
            if (ShouldProcess(registry, "Log out") && !Engine.Registries.Logout(registry))
                WriteWarning($"There was no login for '{registry}'.");
    }
}
