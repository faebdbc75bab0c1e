using Container.Runtime.Containers;
using Container.Runtime.Storage;

namespace Container.Runtime.Networks;

/// <summary>
/// docker network connect and disconnect, on a container's record read under its lock: the
/// lease taken or given back, the endpoint (the next free ethN inside), the hosts line of its
/// address; on a running container the driver attaches or detaches the network live and the
/// recorded setup follows, so that the teardown at its end removes what is there. Every check
/// comes before anything is made, and a failure on the way undoes what was made.
/// </summary>
internal sealed class NetworkConnections(StorePaths paths, NetworkService networks, INetworkDriver driver, ContainerNetworking networking)
{
    /// <summary>
    /// Connects the container to the network, with the static address (v4) and the aliases given;
    /// live: its network is set up now (it runs). write stores the record, which has the new endpoint then.
    /// </summary>
    public NetworkEndpoint Connect(ContainerRecord record, string networkReference, string? address, IReadOnlyList<string>? aliases, bool live, Action<ContainerRecord> write)
    {
        RefuseMode(record);
        if (address != null)
            Subnet.ParseAddress(address, "IP address");
        NetworkOptions.ValidateAliases(aliases);
        var network = networks.Get(networkReference);
        if (record.Networks.Any(e => e.Network == network.Name))
            throw Errors.Errors.ContainerAlreadyConnected(record.Name, network.Name);
        var lease = networks.Lease(network.Name, record.Id, record.Name, address);
        var endpoint = new NetworkEndpoint
        {
            Network = network.Name,
            NetworkId = network.Id,
            Interface = NextInterface(record),
            HostInterface = NetworkEndpoint.HostInterfaceOf(record.Id, network.Id),
            Address = lease.Address,
            Address6 = lease.Address6,
            StaticAddress = address != null,
            Aliases = aliases?.ToList() ?? [],
        };
        var resolvers = NetworkResolver.AddressesOf(network);
        var (attached, listed, named) = (false, false, false);
        try
        {
            if (live)
            {
                AttachLive(record, endpoint);
                attached = true;
            }
            EditHosts(record, endpoint, EtcFiles.WithLines);
            listed = true;
            EditResolvConf(record, resolvers, EtcFiles.WithResolvers);
            named = true;
            record.Networks.Add(endpoint);
            write(record);
            return endpoint;
        }
        catch
        {
            record.Networks.Remove(endpoint);
            if (named)
                EditResolvConf(record, resolvers, EtcFiles.WithoutResolvers);
            if (listed)
                EditHosts(record, endpoint, EtcFiles.WithoutLines);
            if (attached)
                DetachLive(record, endpoint);
            networks.Release(network.Name, record.Id);
            throw;
        }
    }

    /// <summary>
    /// Disconnects the container from the network; force: from one that is gone too (removed
    /// with -Force while the container was on it), named as the container's record names it.
    /// </summary>
    public void Disconnect(ContainerRecord record, string networkReference, bool force, bool live, Action<ContainerRecord> write)
    {
        RefuseMode(record);
        string name;
        try
        {
            name = networks.Get(networkReference).Name;
        }
        catch (Errors.ContainerException e) when (force && e.ErrorId == "NetworkNotFound")
        {
            name = networkReference;
        }
        var endpoint = record.Networks.FirstOrDefault(e => e.Network == name) ?? throw Errors.Errors.ContainerNotConnected(record.Name, name);
        if (live)
            DetachLive(record, endpoint);
        record.Networks.Remove(endpoint);
        write(record);
        // the record says it no more: from here on a crash leaves only what the next lease reclaims
        EditHosts(record, endpoint, EtcFiles.WithoutLines);
        EditResolvConf(record, NetworkResolver.AddressesOf(networks.ReadRecord(name)), EtcFiles.WithoutResolvers);
        networks.Release(name, record.Id);
    }

    private static void RefuseMode(ContainerRecord record)
    {
        if (!NetworkOptions.IsNetworkName(record.NetworkMode))
            throw Errors.Errors.NetworkModeNotConnectable(record.Name, record.NetworkMode);
    }

    /// <summary>The lowest ethN no endpoint of the container has.</summary>
    private static string NextInterface(ContainerRecord record)
    {
        for (var n = 0; ; n++)
            if (record.Networks.All(e => e.Interface != $"eth{n}"))
                return $"eth{n}";
    }

    private string SetupFile(ContainerRecord record) => Path.Combine(paths.ContainerDir(record.Id), ContainerNetworking.SetupFile);

    private void WriteSetup(ContainerRecord record, NetworkSetup setup) => ContainerNetworking.WriteSetup(paths.ContainerDir(record.Id), setup);

    /// <summary>The recorded setup says the network first (what a crash leaves, the teardown knows), then the driver attaches it.</summary>
    private void AttachLive(ContainerRecord record, NetworkEndpoint endpoint)
    {
        var file = SetupFile(record);
        var setup = Json.ReadFileIfExists<NetworkSetup>(file) ?? throw Errors.Errors.ContainerNotRunning(record.Name, "connect live");
        var attachment = networking.AttachmentOf(record, endpoint);
        NetworkAttachment[] all = [.. setup.Attachments, attachment];
        // a first network with DNS brings the resolver's side of the setup
        var attached = setup with { Attachments = all, Dns = setup.Dns ?? networking.DnsOf(record, all) };
        WriteSetup(record, attached);
        try
        {
            driver.Attach(attached, attachment);
        }
        catch
        {
            WriteSetup(record, setup);
            throw;
        }
    }

    /// <summary>The driver detaches the network as the recorded setup has it (its network may be gone), then the setup says it no more.</summary>
    private void DetachLive(ContainerRecord record, NetworkEndpoint endpoint)
    {
        var file = SetupFile(record);
        if (Json.ReadFileIfExists<NetworkSetup>(file) is not { } setup
            || setup.Attachments.FirstOrDefault(a => a.Network == endpoint.Network && a.HostInterface == endpoint.HostInterface) is not { } attachment)
            return;
        var detached = setup with { Attachments = [.. setup.Attachments.Where(a => a != attachment)] };
        driver.Detach(detached, attachment);
        WriteSetup(record, detached);
    }

    /// <summary>The container's resolv.conf with (or without) the resolvers of a network with DNS (none: left as it is), in place as the hosts file.</summary>
    private void EditResolvConf(ContainerRecord record, IReadOnlyList<string>? resolvers, Func<string, IReadOnlyList<string>, string> edit)
    {
        var file = Path.Combine(paths.ContainerDir(record.Id), EtcFiles.ResolvConfFile);
        if (resolvers != null && HostFiles.Read(file) is { } resolvConf)
            File.WriteAllText(file, edit(resolvConf, resolvers));
    }

    /// <summary>
    /// The container's hosts file with (or without) its name at the endpoint's addresses. Written
    /// in place, not renamed over: it is bind-mounted into the running container by its inode.
    /// </summary>
    private void EditHosts(ContainerRecord record, NetworkEndpoint endpoint, Func<string, IEnumerable<string>, string> edit)
    {
        var file = Path.Combine(paths.ContainerDir(record.Id), EtcFiles.HostsFile);
        if (HostFiles.Read(file) is not { } hosts)
            return;
        var lines = new[] { endpoint.Address, endpoint.Address6 }.OfType<string>().Select(a => EtcFiles.HostsLine(record.Hostname, record.Domainname, a));
        File.WriteAllText(file, edit(hosts, lines));
    }
}
