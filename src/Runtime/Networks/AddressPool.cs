using System.Net;

namespace Container.Runtime.Networks;

/// <summary>The addresses a network gives its members: its range (or subnet) but for the gateway and those leased.</summary>
internal sealed class AddressPool(Subnet subnet, Subnet? range, IPAddress gateway)
{
    public static AddressPool Of(ContainerNetwork network) =>
        new(Subnet.Parse(network.Subnet, "subnet"), network.IPRange == null ? null : Subnet.Parse(network.IPRange, "address range"), IPAddress.Parse(network.Gateway));

    public static AddressPool? Of6(ContainerNetwork network) =>
        network.Subnet6 == null || network.Gateway6 == null ? null : new(Subnet.Parse(network.Subnet6, "IPv6 subnet"), null, IPAddress.Parse(network.Gateway6));

    public Subnet Subnet => subnet;

    /// <summary>The lowest address free, or null when none is.</summary>
    public IPAddress? Next(IReadOnlySet<IPAddress> used)
    {
        var from = range?.First ?? subnet.First;
        var to = range?.Last ?? subnet.Last;
        for (var number = from; number <= to && number >= from; number++)
        {
            // neither the subnet's nor its range's own address or broadcast
            if (!subnet.IsUsable(number) || range is { } r && !r.IsUsable(number))
                continue;
            var address = subnet.AddressAt(number);
            if (!address.Equals(gateway) && !used.Contains(address))
                return address;
        }
        return null;
    }

    /// <summary>A static address (-IPAddress) checked: in the subnet, in the range, not the gateway's.</summary>
    public IPAddress Check(string text, string network)
    {
        var address = Subnet.ParseAddress(text, "IP address");
        if (!subnet.Contains(address) || !subnet.IsUsable(Subnet.ToNumber(address)))
            throw Errors.Errors.AddressOutsideSubnet(text, "address", subnet.ToString());
        if (address.Equals(gateway))
            throw Errors.Errors.AddressInUse(text, network, "(the network's gateway)");
        if (range is { } r && !r.Contains(address))
            throw Errors.Errors.AddressOutsideRange(text, r.ToString());
        return address;
    }
}
