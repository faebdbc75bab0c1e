using System.Management.Automation;

namespace Container.Module.Cmdlets;

/// <summary>
/// Connect-ContainerRegistry: a registry login, checked against the registry, then stored in
/// auth.json where podman and skopeo read it (docker login).
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "ContainerRegistry", SupportsShouldProcess = true)]
[OutputType(typeof(void))]
public sealed class ConnectContainerRegistryCommand : RegistryTlsCmdlet
{
    /// <summary>host[:port], as localhost:5000 or registry.example.com.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Registry { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1)]
    [Credential]
    public PSCredential Credential { get; set; } = PSCredential.Empty;

    protected override void ProcessRecord()
    {
        if (!ShouldProcess(Registry, $"Log in as '{Credential.UserName}'"))
            return;
        ForEachItem(() => Registries.Login(Registry, RegistryCmdlet.LoginOf(Credential), Cancellation));
    }
}
