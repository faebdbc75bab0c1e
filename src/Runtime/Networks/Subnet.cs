using System.Net;
using System.Net.Sockets;

namespace Container.Runtime.Networks;

/// <summary>A subnet (10.88.0.0/16, fd00::/64) and the addresses in it, as numbers, for either family.</summary>
internal readonly record struct Subnet(IPNetwork Network)
{
    public IPAddress Base => Network.BaseAddress;

    public int Prefix => Network.PrefixLength;

    public bool IsIPv6 => Base.AddressFamily == AddressFamily.InterNetworkV6;

    private int Bits => IsIPv6 ? 128 : 32;

    /// <summary>The first address of the subnet, as a number.</summary>
    public UInt128 First => ToNumber(Base);

    /// <summary>The last address of the subnet (v4's broadcast), as a number.</summary>
    public UInt128 Last => First + (Prefix == 0 ? (Bits == 128 ? UInt128.MaxValue : uint.MaxValue) : (UInt128.One << (Bits - Prefix)) - 1);

    /// <summary>Parses a subnet in CIDR form whose host bits are zero; what names it goes in the error.</summary>
    public static Subnet Parse(string text, string what)
    {
        var slash = text.IndexOf('/');
        if (slash < 0 || TryParseAddress(text[..slash]) is not { } address || !int.TryParse(text[(slash + 1)..], out var prefix)
            || prefix < 0 || prefix > (address.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32))
            throw Errors.Errors.InvalidSubnet(text, what, "give an address and a prefix length, as 10.89.0.0/24");
        var subnet = new Subnet(new IPNetwork(Mask(address, prefix), prefix));
        if (!subnet.Base.Equals(address))
            throw Errors.Errors.InvalidSubnet(text, what, $"its host bits are set: it would be {subnet}");
        return subnet;
    }

    public static IPAddress ParseAddress(string text, string what) =>
        TryParseAddress(text) ?? throw Errors.Errors.InvalidAddress(text, what);

    /// <summary>An IPv4 address in its dotted four parts (not inet_aton's 10.1 or 0x0a000001), or an IPv6 one; else null.</summary>
    public static IPAddress? TryParseAddress(string text) =>
        IPAddress.TryParse(text, out var address)
        && (address.AddressFamily == AddressFamily.InterNetworkV6 ? text.Contains(':') : address.ToString() == text)
            ? address
            : null;

    public bool Contains(IPAddress address) => address.AddressFamily == Base.AddressFamily && Network.Contains(address);

    public bool Contains(Subnet other) => Contains(other.Base) && other.Prefix >= Prefix;

    public bool Overlaps(Subnet other) => Contains(other.Base) || other.Contains(Base);

    public IPAddress AddressAt(UInt128 number) => FromNumber(number, IsIPv6);

    /// <summary>Usable for a member: not the subnet's own address nor, in v4, its broadcast.</summary>
    public bool IsUsable(UInt128 number) => number > First && (IsIPv6 ? number <= Last : number < Last);

    public override string ToString() => $"{Base}/{Prefix}";

    public static UInt128 ToNumber(IPAddress address)
    {
        UInt128 value = 0;
        foreach (var b in address.GetAddressBytes())
            value = (value << 8) | b;
        return value;
    }

    public static IPAddress FromNumber(UInt128 number, bool v6)
    {
        var bytes = new byte[v6 ? 16 : 4];
        for (var i = bytes.Length - 1; i >= 0; i--, number >>= 8)
            bytes[i] = (byte)(number & 0xff);
        return new IPAddress(bytes);
    }

    private static IPAddress Mask(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefix - i * 8, 0, 8);
            bytes[i] &= (byte)(0xff << (8 - keep));
        }
        return new IPAddress(bytes);
    }
}
