using System.Management.Automation;
using Container.Runtime.Registries;

namespace Container.Module.Cmdlets;

/// <summary>What the registry cmdlets share: -Credential, as the engine's login (else the one stored for the registry), and -SkipTlsVerify.</summary>
public abstract class RegistryCmdlet : ContainerCmdlet
{
    /// <summary>The registry's user and password for this call; without it, Connect-ContainerRegistry's stored login, or none.</summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>Any certificate the registry shows is taken (podman's --tls-verify=false); plain HTTP is still only for the registries allowed it.</summary>
    [Parameter]
    public SwitchParameter SkipTlsVerify { get; set; }

    private protected RegistryLogin? Login => Credential is { } credential ? LoginOf(credential) : null;

    /// <summary>The engine's registries, verifying TLS unless -SkipTlsVerify.</summary>
    private protected RegistryService Registries => SkipTlsVerify ? Engine.Registries.SkippingTlsVerification() : Engine.Registries;

    /// <summary>A PSCredential as the engine's login.</summary>
    internal static RegistryLogin LoginOf(PSCredential credential) => new(credential.UserName, credential.GetNetworkCredential().Password);
}
