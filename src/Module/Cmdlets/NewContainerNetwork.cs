using System.Collections;
using System.Management.Automation;
using Container.Runtime.Networks;

namespace Container.Module.Cmdlets;

/// <summary>New-ContainerNetwork: a network of our own, with its subnet and bridge (docker network create).</summary>
[Cmdlet(VerbsCommon.New, "ContainerNetwork", SupportsShouldProcess = true)]
[OutputType(typeof(ContainerNetwork))]
public sealed class NewContainerNetworkCommand : ContainerCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>CIDR form, 10.89.5.0/24; by default the first free 10.89.N.0/24.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Subnet { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Gateway { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? IPRange { get; set; }

    /// <summary>No route out (docker's --internal).</summary>
    [Parameter]
    public SwitchParameter Internal { get; set; }

    [Parameter]
    public Hashtable? Label { get; set; }

    [Parameter]
    public int? Mtu { get; set; }

    /// <summary>An IPv6 subnet besides the IPv4 one: dual stack.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? IPv6Subnet { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? IPv6Gateway { get; set; }

    /// <summary>No name resolution between its members (podman's --disable-dns).</summary>
    [Parameter]
    public SwitchParameter DisableDns { get; set; }

    protected override void ProcessRecord()
    {
        if (!ShouldProcess(Name, "Create a network"))
            return;
        ForEachItem(() => WriteObject(Engine.Networks.Create(new NetworkSpec
        {
            Name = Name,
            Subnet = Subnet,
            Gateway = Gateway,
            IPRange = IPRange,
            Internal = Internal,
            Labels = HashtableConversion.ToDictionary(Label),
            Mtu = Mtu,
            Subnet6 = IPv6Subnet,
            Gateway6 = IPv6Gateway,
            DisableDns = DisableDns,
        })));
    }
}
