using System.Management.Automation;
using Container.Runtime.Registries;

namespace Container.Module.Cmdlets;

/// <summary>What every cmdlet that talks to a registry shares: -SkipTlsVerify.</summary>
public abstract class RegistryTlsCmdlet : ContainerCmdlet
{
    /// <summary>Any certificate the registry shows is taken (podman's --tls-verify=false); plain HTTP is still only for the registries allowed it.</summary>
    [Parameter]
    public SwitchParameter SkipTlsVerify { get; set; }

    /// <summary>The engine's registries, verifying TLS unless -SkipTlsVerify.</summary>
    private protected RegistryService Registries => SkipTlsVerify ? Engine.Registries.SkippingTlsVerification() : Engine.Registries;
}
