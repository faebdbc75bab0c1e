using System.Net;
using Container.Runtime.Containers;
using Container.Runtime.Storage;

namespace Container.Runtime.Networks;

/// <summary>
/// Networks and their address leases, on disk under the store (docker network create, ls, rm;
/// the daemon's IPAM). Each network is a directory by name: network.json and leases.json,
/// written atomically. Networks are made and removed under one store-wide lock (subnets must
/// not overlap); a network's leases change under its own lock, so sessions that start
/// containers at once get distinct addresses and lose none. The default network, bridge, is
/// made on first use.
/// </summary>
public sealed class NetworkService
{
    private const string RecordFile = "network.json";
    private const string LeasesFile = "leases.json";

    private readonly StorePaths paths;
    private readonly Func<string, string?> containerName;

    /// <param name="containerName">A container's name by id, null when it has no record (yet, or any more).</param>
    internal NetworkService(StorePaths paths, Func<string, string?> containerName)
    {
        this.paths = paths;
        this.containerName = containerName;
    }

    /// <summary>Makes a network (docker network create): its subnet, gateway and range checked, its subnet overlapping no other's.</summary>
    public ContainerNetwork Create(NetworkSpec spec)
    {
        if (!ContainerNames.IsValid(spec.Name) || spec.Name is "none" or "host" || spec.Name.StartsWith("container:", StringComparison.Ordinal))
            throw Errors.Errors.InvalidNetworkName(spec.Name);
        if (spec.Mtu is < 68 or > 65535)
            throw Errors.Errors.InvalidArgument("InvalidMtu", $"The MTU {spec.Mtu} is not between 68 and 65535.", spec.Mtu);
        if (spec.Subnet == null && (spec.Gateway != null || spec.IPRange != null))
            throw Errors.Errors.InvalidArgument("SubnetRequired", "-Gateway and -IPRange need the -Subnet they are in.", spec.Name);
        if (spec.Subnet6 == null && spec.Gateway6 != null)
            throw Errors.Errors.InvalidArgument("SubnetRequired", "An IPv6 gateway needs the IPv6 subnet it is in.", spec.Name);
        var id = Ids.New();
        var network = new ContainerNetwork
        {
            Id = id,
            Name = spec.Name,
            Bridge = ContainerNetwork.BridgePrefix + id[..8],
            Internal = spec.Internal,
            Labels = spec.Labels?.ToDictionary() ?? [],
            Mtu = spec.Mtu ?? ContainerNetwork.DefaultMtu,
            DnsEnabled = !spec.DisableDns,
            Created = DateTimeOffset.UtcNow,
        };
        // what can be checked alone is, before the store is locked
        if (spec.Subnet != null)
            Address(network, Subnet.Parse(spec.Subnet, "subnet"), spec.Gateway, spec.IPRange, ipv6: false);
        if (spec.Subnet6 != null)
            Address(network, Subnet.Parse(spec.Subnet6, "IPv6 subnet"), spec.Gateway6, null, ipv6: true);

        using var _ = LockNetworks();
        var others = ListLocked();
        if (others.Any(n => n.Name == spec.Name))
            throw Errors.Errors.NetworkExists(spec.Name);
        if (spec.Subnet == null)
            Address(network, FreeSubnet(others), null, null, ipv6: false);
        RefuseOverlap(network, others);
        Write(network);
        return WithMembers(network);
    }

    /// <summary>Fills the network's v4 or v6 addressing: the gateway (the first address if none is given) and range checked against the subnet.</summary>
    private static void Address(ContainerNetwork network, Subnet subnet, string? gateway, string? ipRange, bool ipv6)
    {
        var what = ipv6 ? "IPv6 subnet" : "subnet";
        if (subnet.IsIPv6 != ipv6)
            throw Errors.Errors.InvalidSubnet(subnet.ToString(), what, ipv6 ? "it is not an IPv6 subnet" : "it is not an IPv4 subnet (give an IPv6 one with -IPv6Subnet)");
        if (!ipv6 && subnet.Prefix > 30)
            throw Errors.Errors.InvalidSubnet(subnet.ToString(), what, "it leaves no address for members (a /30 at most)");
        IPAddress address;
        if (gateway != null)
        {
            address = Subnet.ParseAddress(gateway, "gateway");
            if (!subnet.Contains(address) || !subnet.IsUsable(Subnet.ToNumber(address)))
                throw Errors.Errors.AddressOutsideSubnet(gateway, "gateway", subnet.ToString());
        }
        else
            address = subnet.AddressAt(subnet.First + 1);
        if (ipRange != null)
        {
            var range = Subnet.Parse(ipRange, "address range");
            if (!subnet.Contains(range))
                throw Errors.Errors.AddressOutsideSubnet(ipRange, "address range", subnet.ToString());
            network.IPRange = range.ToString();
        }
        if (ipv6)
            (network.Subnet6, network.Gateway6) = (subnet.ToString(), address.ToString());
        else
            (network.Subnet, network.Gateway) = (subnet.ToString(), address.ToString());
    }

    private static void RefuseOverlap(ContainerNetwork network, IEnumerable<ContainerNetwork> others)
    {
        foreach (var other in others.Where(o => o.Id != network.Id))
            foreach (var (mine, theirs) in new[] { (network.Subnet, other.Subnet), (network.Subnet6, other.Subnet6) })
                if (mine != null && theirs != null && Subnet.Parse(mine, "subnet").Overlaps(Subnet.Parse(theirs, "subnet")))
                    throw Errors.Errors.SubnetOverlaps(mine, other.Name, theirs);
    }

    /// <summary>podman's choice: the first 10.89.N.0/24 no network overlaps.</summary>
    private static Subnet FreeSubnet(IReadOnlyList<ContainerNetwork> others)
    {
        var taken = others.Select(o => Subnet.Parse(o.Subnet, "subnet")).ToList();
        for (var n = 0; n < 256; n++)
        {
            var candidate = Subnet.Parse($"10.89.{n}.0/24", "subnet");
            if (!taken.Any(t => t.Overlaps(candidate)))
                return candidate;
        }
        throw Errors.Errors.InvalidArgument("NoFreeSubnet", "Every 10.89.N.0/24 is taken: give a -Subnet.", null);
    }

    /// <summary>A network by name, id or unique id prefix; bridge is made if it was never used.</summary>
    public ContainerNetwork Get(string reference) => WithMembers(Find(reference));

    private ContainerNetwork Find(string reference)
    {
        if (ContainerNames.IsValid(reference) && ReadRecord(reference) is { } byName)
            return byName;
        if (reference == ContainerNetwork.DefaultName)
            return EnsureDefault();
        var matches = string.IsNullOrEmpty(reference) || !Ids.IsHex(reference) ? [] : ListRecords().Where(n => n.Id.StartsWith(reference, StringComparison.Ordinal)).Take(2).ToList();
        return matches.Count == 1 ? matches[0] : throw Errors.Errors.NetworkNotFound(reference);
    }

    /// <summary>Every network, the default one first, then by name.</summary>
    public IReadOnlyList<ContainerNetwork> List()
    {
        EnsureDefault();
        return ListRecords().OrderBy(n => n.Name != ContainerNetwork.DefaultName).ThenBy(n => n.Name, StringComparer.Ordinal).Select(WithMembers).ToList();
    }

    /// <summary>The networks a name, id or wildcard pattern stands for, by name; a pattern that matches nothing yields nothing, a literal reference NetworkNotFound.</summary>
    public IReadOnlyList<string> Select(string referenceOrPattern)
    {
        if (!Text.Wildcard.IsPattern(referenceOrPattern))
            return [Find(Text.Wildcard.Unescape(referenceOrPattern)).Name];
        var pattern = Text.Wildcard.Parse(referenceOrPattern);
        return List().Where(n => pattern.IsMatch(n.Name)).Select(n => n.Name).ToList();
    }

    /// <summary>
    /// Removes a network (docker network rm): refused while a container holds an address on it,
    /// unless forced (its containers then fail to start until given another network). The default network stays.
    /// </summary>
    public void Remove(string reference, bool force)
    {
        var name = Find(reference).Name;
        if (name == ContainerNetwork.DefaultName)
            throw Errors.Errors.PredefinedNetwork(name, "remove");
        using var _ = LockNetworks();
        using var __ = LockLeases(name);
        if (ReadRecord(name) == null)
            throw Errors.Errors.NetworkNotFound(reference);
        var members = LiveLeases(name).Values.Select(l => l.Container).ToList();
        if (members.Count > 0 && !force)
            throw Errors.Errors.NetworkInUse(name, members);
        var doomed = Staging.NewPath(paths, "-network");
        Directory.Move(paths.NetworkDir(name), doomed);
        Directory.Delete(doomed, recursive: true);
    }

    /// <summary>
    /// New addressing for a network, only while no container holds an address on it: its subnet
    /// and gateway (by default its first address), its range dropped. For the default network it
    /// is kept in the store's config too (docker's bip, 10.0.0.1/16), so the network is made
    /// with it again should its record be lost.
    /// </summary>
    public ContainerNetwork Readdress(string reference, string subnet, string? gateway)
    {
        var name = Find(reference).Name;
        var addressed = new ContainerNetwork();
        Address(addressed, Subnet.Parse(subnet, "subnet"), gateway, null, ipv6: false);
        using var _ = LockNetworks();
        using var __ = LockLeases(name);
        var network = ReadRecord(name) ?? throw Errors.Errors.NetworkNotFound(reference);
        var members = LiveLeases(name).Values.Select(l => l.Container).ToList();
        if (members.Count > 0)
            throw Errors.Errors.NetworkInUse(name, members);
        (network.Subnet, network.Gateway, network.IPRange) = (addressed.Subnet, addressed.Gateway, null);
        RefuseOverlap(network, ListRecords());
        if (name == ContainerNetwork.DefaultName)
        {
            var config = StoreConfig.Read(paths);
            config.BridgeAddress = $"{network.Gateway}/{Subnet.Parse(network.Subnet, "subnet").Prefix}";
            config.Write(paths);
        }
        Write(network);
        return WithMembers(network);
    }

    private static (Subnet Subnet, IPAddress Gateway) ParseBridgeAddress(string text)
    {
        var slash = text.IndexOf('/');
        var gateway = slash < 0 ? null : Subnet.ParseAddress(text[..slash], "bridge address");
        if (gateway == null || gateway.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork
            || !int.TryParse(text[(slash + 1)..], out var prefix) || prefix is < 0 or > 30)
            throw Errors.Errors.InvalidSubnet(text, "bridge address", "give an IPv4 gateway with its subnet's prefix (a /30 at most), as 10.0.0.1/16");
        var mask = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
        var subnet = Subnet.Parse($"{Subnet.FromNumber(Subnet.ToNumber(gateway) & mask, v6: false)}/{prefix}", "bridge address");
        if (!subnet.IsUsable(Subnet.ToNumber(gateway)))
            throw Errors.Errors.InvalidSubnet(text, "bridge address", "the gateway is the subnet's own address or its broadcast");
        return (subnet, gateway);
    }

    /// <summary>
    /// The container's addresses on the network: the one it holds already, the static one asked
    /// for (refused when it is outside the subnet or range, or another's), else the lowest free.
    /// A lease of a container that is gone (a crash before its removal released it) is free.
    /// sharedWith: the container this one replaces, whose static address it may hold too until
    /// that one is removed (it is, before this one starts).
    /// </summary>
    internal NetworkLease Lease(string networkName, string containerId, string container, string? requested, string? sharedWith = null)
    {
        using var _ = LockLeases(networkName);
        var network = ReadRecord(networkName) ?? throw Errors.Errors.NetworkNotFound(networkName);
        var leases = LiveLeases(networkName, except: containerId, withNames: false);
        if (leases.TryGetValue(containerId, out var held) && (requested == null || requested == held.Address))
            return held;
        leases.Remove(containerId);
        var pool = AddressPool.Of(network);
        var used = leases.Values.Select(l => IPAddress.Parse(l.Address)).ToHashSet();
        IPAddress address;
        if (requested != null)
        {
            address = pool.Check(requested, networkName);
            if (leases.FirstOrDefault(l => l.Key != sharedWith && IPAddress.Parse(l.Value.Address).Equals(address)).Value is { } holder)
                throw Errors.Errors.AddressInUse(requested, networkName, holder.Container);
        }
        else
            address = pool.Next(used) ?? throw Errors.Errors.AddressesExhausted(networkName);
        var lease = new NetworkLease { Container = container, Address = address.ToString() };
        if (AddressPool.Of6(network) is { } pool6)
            lease.Address6 = (pool6.Next(leases.Values.Where(l => l.Address6 != null).Select(l => IPAddress.Parse(l.Address6!)).ToHashSet())
                              ?? throw Errors.Errors.AddressesExhausted(networkName)).ToString();
        leases[containerId] = lease;
        Json.WriteFile(Path.Combine(paths.NetworkDir(networkName), LeasesFile), new NetworkLeases { Leases = leases });
        return lease;
    }

    /// <summary>
    /// Gives the container's addresses back (at its removal); nothing when it holds none, or the
    /// network is gone. Not flushed to disk: the container is out of sight by now, and the lease
    /// of one that is gone is free to the next allocation, so a release a power cut loses loses nothing.
    /// </summary>
    internal void Release(string networkName, string containerId)
    {
        using var _ = LockLeases(networkName);
        if (ReadRecord(networkName) == null)
            return;
        var leases = ReadLeases(networkName);
        if (leases.Remove(containerId))
            Json.WriteFile(Path.Combine(paths.NetworkDir(networkName), LeasesFile), new NetworkLeases { Leases = leases }, durable: false);
    }

    /// <summary>The network's record as stored, or null when there is none by that name.</summary>
    internal ContainerNetwork? ReadRecord(string name) =>
        ContainerNames.IsValid(name) ? Json.ReadFileIfExists<ContainerNetwork>(Path.Combine(paths.NetworkDir(name), RecordFile)) : null;

    /// <summary>The default network, made from the store's bridge address (10.88.0.1/16 unless set) the first time it is asked for.</summary>
    internal ContainerNetwork EnsureDefault()
    {
        if (ReadRecord(ContainerNetwork.DefaultName) is { } network)
            return network;
        using var _ = LockNetworks();
        return EnsureDefaultLocked();
    }

    private ContainerNetwork EnsureDefaultLocked()
    {
        if (ReadRecord(ContainerNetwork.DefaultName) is { } network)
            return network;
        var (subnet, gateway) = ParseBridgeAddress(StoreConfig.Read(paths).BridgeAddress ?? ContainerNetwork.DefaultBridgeAddress);
        network = new ContainerNetwork
        {
            Id = Ids.New(),
            Name = ContainerNetwork.DefaultName,
            Bridge = ContainerNetwork.DefaultBridge,
            Subnet = subnet.ToString(),
            Gateway = gateway.ToString(),
            Created = DateTimeOffset.UtcNow,
        };
        Write(network);
        return network;
    }

    private void Write(ContainerNetwork network)
    {
        var dir = paths.NetworkDir(network.Name);
        Directory.CreateDirectory(dir);
        Json.WriteFile(Path.Combine(dir, RecordFile), network);
    }

    private List<ContainerNetwork> ListRecords() =>
        Directory.Exists(paths.NetworksDir)
            ? Directory.EnumerateDirectories(paths.NetworksDir).Select(d => ReadRecord(Path.GetFileName(d))).OfType<ContainerNetwork>().ToList()
            : [];

    private List<ContainerNetwork> ListLocked()
    {
        EnsureDefaultLocked();
        return ListRecords();
    }

    private ContainerNetwork WithMembers(ContainerNetwork network)
    {
        network.Containers = LiveLeases(network.Name).Values.Select(l => l.Container).Order(StringComparer.Ordinal).ToList();
        return network;
    }

    private Dictionary<string, NetworkLease> ReadLeases(string name) =>
        Json.ReadFileIfExists<NetworkLeases>(Path.Combine(paths.NetworkDir(name), LeasesFile))?.Leases ?? [];

    /// <summary>The leases of containers that exist (or are being made), each with the container's name now.</summary>
    private Dictionary<string, NetworkLease> LiveLeases(string name, string? except = null, bool withNames = true)
    {
        var live = new Dictionary<string, NetworkLease>();
        foreach (var (id, lease) in ReadLeases(name))
            if (id == except || ContainerExists(id))
                live[id] = !withNames || containerName(id) is not { } current ? lease
                    : new NetworkLease { Container = current, Address = lease.Address, Address6 = lease.Address6 };
        return live;
    }

    /// <summary>
    /// A container that is being made by a live process, or exists; one that is neither left its
    /// lease behind (a crash). In that order: a container made meanwhile is renamed from staging into place.
    /// </summary>
    private bool ContainerExists(string id) =>
        Staging.IsBeingStaged(paths, $"container-{id}") || Directory.Exists(paths.ContainerDir(id));

    private FileLock LockNetworks()
    {
        Directory.CreateDirectory(paths.LocksDir);
        return FileLock.Acquire(Path.Combine(paths.LocksDir, "networks.lock"));
    }

    private FileLock LockLeases(string name)
    {
        Directory.CreateDirectory(paths.LocksDir);
        return FileLock.Acquire(Path.Combine(paths.LocksDir, $"network-{name}.lock"));
    }
}
