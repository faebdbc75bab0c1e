using System.Collections;
using System.Management.Automation;
using Container.Runtime.Containers;

namespace Container.Module.Cmdlets;

/// <summary>
/// The cgroup limits as parameters, named as docker run names them; shared by the cmdlets
/// that set limits at creation and live. Sizes take 64MB as well as "64m". A parameter here
/// is named as its limit in the engine's table, which gives it its meaning.
/// </summary>
public abstract class LimitsCmdlet : ContainerCmdlet
{
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Memory { get; set; }

    /// <summary>Memory plus swap; -1 for unlimited swap.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? MemorySwap { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? MemoryReservation { get; set; }

    /// <summary>0-100: how readily the kernel swaps the container's memory out (cgroup v1 only).</summary>
    [Parameter]
    public long? MemorySwappiness { get; set; }

    /// <summary>CPUs, fractional: 1.5.</summary>
    [Parameter]
    public double? Cpus { get; set; }

    /// <summary>Relative weight (cgroup v1 shares, 2-262144; cpu.weight on v2).</summary>
    [Parameter]
    public long? CpuShares { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CpusetCpus { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CpusetMems { get; set; }

    [Parameter]
    public long? PidsLimit { get; set; }

    [Parameter]
    public long? BlkioWeight { get; set; }

    /// <summary>@{ '/dev/sda' = '1mb' }: bytes per second read from a device.</summary>
    [Parameter]
    public Hashtable? DeviceReadBps { get; set; }

    [Parameter]
    public Hashtable? DeviceWriteBps { get; set; }

    /// <summary>@{ '/dev/sda' = 100 }: reads per second from a device.</summary>
    [Parameter]
    public Hashtable? DeviceReadIops { get; set; }

    [Parameter]
    public Hashtable? DeviceWriteIops { get; set; }

    /// <summary>
    /// The limits given, for the engine to read: the parameters above are read by their names,
    /// which are the engine's limits' names (LimitTable), each with its unit and checks.
    /// </summary>
    protected LimitArguments GivenLimits() => new(MyInvocation.BoundParameters);
}
