using System.Management.Automation;
using Container.Runtime.Registries;

namespace Container.Module.Cmdlets;

/// <summary>What the registry cmdlets that may log in for one call share: -Credential, as the engine's login (else the one stored for the registry).</summary>
public abstract class RegistryCmdlet : RegistryTlsCmdlet
{
    /// <summary>The registry's user and password for this call; without it, Connect-ContainerRegistry's stored login, or none.</summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    private protected RegistryLogin? Login => Credential is { } credential ? LoginOf(credential) : null;

    /// <summary>A PSCredential as the engine's login.</summary>
    internal static RegistryLogin LoginOf(PSCredential credential) => new(credential.UserName, credential.GetNetworkCredential().Password);
}
