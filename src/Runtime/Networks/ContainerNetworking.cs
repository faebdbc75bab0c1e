using Container.Runtime.Containers;
using Container.Runtime.Images;
using Container.Runtime.Storage;

namespace Container.Runtime.Networks;

/// <summary>The network a new container is to have, decided before anything is made.</summary>
/// <param name="Mode">As its record keeps it: none, host, container:&lt;id&gt;, or the network's name.</param>
/// <param name="Network">The network it is on, for bridge and user-defined networks.</param>
/// <param name="Joined">The container whose network it joins (container: mode).</param>
internal sealed record NetworkChoice(string Mode, ContainerNetwork? Network, List<PortMapping> Ports, ContainerRecord? Joined);

/// <summary>How a container's bundle meets its network: the namespace, and the directory whose hosts, hostname and resolv.conf it mounts.</summary>
/// <param name="NamespacePath">The network namespace to join; null for a new one (or none at all, on the host's network).</param>
public sealed record BundleNetwork(string? NamespacePath, bool HostNetwork, string FilesDirectory);

/// <summary>
/// The engine's side of a container's network: the mode and network chosen and checked at
/// creation, its lease and its /etc files; at start the setup handed to the driver (recorded in
/// the container's directory first, so that a crash leaves what teardown needs); teardown at
/// its end, and its lease given back at its removal.
/// </summary>
internal sealed class ContainerNetworking(StorePaths paths, NetworkService networks, INetworkDriver driver)
{
    /// <summary>The setup of a run, in the container's directory, from before the driver's setup until its teardown.</summary>
    public const string SetupFile = "network.json";

    /// <summary>
    /// Records the setup of the run in the container's directory dir. A record of one run, as
    /// the monitor's run record: not flushed to disk, since a power cut ends the run (and takes
    /// the namespace, links and rules it describes) with it.
    /// </summary>
    public static void WriteSetup(string dir, NetworkSetup setup) => Json.WriteFile(Path.Combine(dir, SetupFile), setup, durable: false);

    /// <summary>The mode and network of a new container, every option checked against it; joinedContainer resolves container:&lt;name|id&gt;.</summary>
    public NetworkChoice Choose(ContainerSpec spec, ContainerImage image, Func<string, ContainerRecord> joinedContainer)
    {
        var mode = spec.Network ?? StoreConfig.NetworkModeOf(paths);
        if (!NetworkOptions.IsValidMode(mode))
            throw Errors.Errors.InvalidNetworkMode(mode);
        var ports = PortPublishing.Parse(spec.Publish ?? [], spec.PublishAll, image.Config.Config?.ExposedPorts?.Keys);
        if (mode is NetworkOptions.None or NetworkOptions.Host || mode.StartsWith(NetworkOptions.ContainerPrefix, StringComparison.Ordinal))
        {
            Refuse(mode, ("-Publish", spec.Publish is { Count: > 0 }), ("-PublishAll", ports.Count > 0), ("-IPAddress", spec.IPAddress != null), ("-Alias", spec.Alias is { Count: > 0 }));
            if (!mode.StartsWith(NetworkOptions.ContainerPrefix, StringComparison.Ordinal))
                return new NetworkChoice(mode, null, [], null);
            // its network is the other's, and so are its names: docker refuses these too
            Refuse(mode, ("-Hostname", spec.Hostname != null), ("-Domainname", spec.Domainname != null), ("-Dns", spec.Dns is { Count: > 0 }),
                ("-DnsSearch", spec.DnsSearch is { Count: > 0 }), ("-DnsOption", spec.DnsOption is { Count: > 0 }), ("-AddHost", spec.AddHost is { Count: > 0 }));
            var joined = joinedContainer(mode[NetworkOptions.ContainerPrefix.Length..]);
            return new NetworkChoice(NetworkOptions.ContainerPrefix + joined.Id, null, [], joined);
        }
        var network = networks.Get(mode);
        if (spec.IPAddress != null)
            AddressPool.Of(network).Check(spec.IPAddress, network.Name);
        return new NetworkChoice(network.Name, network, ports, null);
    }

    private static void Refuse(string mode, params (string Option, bool Given)[] options)
    {
        foreach (var (option, given) in options)
            if (given)
                throw Errors.Errors.NetworkModeConflict(option, mode);
    }

    /// <summary>
    /// Records the choice in the new container's record: its lease on the network (the static
    /// address, or the next free one), its ports and names; what the mode decides of its hostname.
    /// </summary>
    public void Attach(ContainerRecord record, NetworkChoice choice, ContainerSpec spec)
    {
        record.NetworkMode = choice.Mode;
        record.Ports = choice.Ports;
        record.Domainname = spec.Domainname;
        record.Dns = spec.Dns?.ToList();
        record.DnsSearch = spec.DnsSearch?.ToList();
        record.DnsOption = spec.DnsOption?.ToList();
        record.AddHost = spec.AddHost?.ToList();
        if (choice.Joined is { } joined)
            record.Hostname = joined.Hostname;
        else if (choice.Mode == NetworkOptions.Host && spec.Hostname == null)
            record.Hostname = HostFiles.Hostname();
        if (choice.Network is not { } network)
            return;
        var lease = networks.Lease(network.Name, record.Id, record.Name, spec.IPAddress, sharedWith: spec.Replaces);
        record.Networks =
        [
            new NetworkEndpoint
            {
                Network = network.Name,
                NetworkId = network.Id,
                Interface = "eth0",
                HostInterface = NetworkEndpoint.HostInterfaceOf(record.Id, network.Id),
                Address = lease.Address,
                Address6 = lease.Address6,
                StaticAddress = spec.IPAddress != null,
                Aliases = spec.Alias?.ToList() ?? [],
            },
        ];
    }

    /// <summary>Gives back what Attach leased (a creation that failed, a removal).</summary>
    public void Release(ContainerRecord record)
    {
        foreach (var endpoint in record.Networks)
            networks.Release(endpoint.Network, record.Id);
    }

    /// <summary>
    /// Writes the container's hosts, hostname and resolv.conf into dir, the container's staging
    /// directory (a container that joins another's network has that one's). Plain writes, not
    /// flushed, as docker writes them: nobody reads them before the directory is renamed into
    /// place, and they are made from the record, not state of their own.
    /// </summary>
    public void WriteFiles(string dir, ContainerRecord record, NetworkChoice choice)
    {
        if (choice.Joined != null)
            return;
        var extra = (record.AddHost ?? []).Select(NetworkOptions.ParseHostEntry).ToList();
        var hostNetwork = choice.Mode == NetworkOptions.Host;
        var hosts = hostNetwork
            ? EtcFiles.HostsOfHost(HostFiles.Read("/etc/hosts") ?? "", extra)
            : EtcFiles.Hosts(record.Hostname, record.Domainname, record.Networks.SelectMany(e => new[] { e.Address, e.Address6 }).OfType<string>(), extra);
        var resolvConf = EtcFiles.ResolvConf(HostFiles.Read("/etc/resolv.conf") ?? "", HostFiles.Read(EtcFiles.SystemdResolvConf), hostNetwork,
            ipv6: choice.Network?.Subnet6 != null, record.Dns, record.DnsSearch, record.DnsOption, NetworkResolver.AddressesOf(choice.Network));
        File.WriteAllText(Path.Combine(dir, EtcFiles.HostsFile), hosts);
        File.WriteAllText(Path.Combine(dir, EtcFiles.HostnameFile), record.Hostname + "\n");
        File.WriteAllText(Path.Combine(dir, EtcFiles.ResolvConfFile), resolvConf);
    }

    /// <summary>What the bundle of a container in its final directory is to say of its network.</summary>
    public BundleNetwork BundleOf(ContainerRecord record, NetworkChoice choice) => choice switch
    {
        { Joined: { } joined } => new BundleNetwork(null, false, paths.ContainerDir(joined.Id)),
        { Network: not null } => new BundleNetwork(paths.NetnsPath(record.Id), false, paths.ContainerDir(record.Id)),
        _ => new BundleNetwork(null, choice.Mode == NetworkOptions.Host, paths.ContainerDir(record.Id)),
    };

    /// <summary>The namespace a container joining this running one's network joins: its setup's, the host's (null), or its init's.</summary>
    public static string? NamespaceOf(string dir, ContainerRecord record, int pid) =>
        record.NetworkMode == NetworkOptions.Host ? null : SetupOf(dir)?.NamespacePath ?? $"/proc/{pid}/ns/net";

    /// <summary>The setup of the container's run, while it has one.</summary>
    public static NetworkSetup? SetupOf(string dir) => Json.ReadFileIfExists<NetworkSetup>(Path.Combine(dir, SetupFile));

    /// <summary>
    /// Applies the recorded setup's firewall rules again (Repair-ContainerNetwork: the host's
    /// firewall was reloaded); null when the container has no setup, or it ended meanwhile.
    /// </summary>
    public NetworkSetup? Repair(string dir) => SetupOf(dir) is { } setup && driver.Repair(setup) ? setup : null;

    /// <summary>Test-ContainerPort: each of the running container's published ports (those of hostPort and protocol, if given) probed and diagnosed.</summary>
    public IReadOnlyList<PortReachability> TestPorts(string dir, string container, int pid, int? hostPort, string? protocol)
    {
        var setup = SetupOf(dir);
        protocol = protocol?.ToLowerInvariant();
        var ports = (setup?.Ports ?? []).Where(p => (hostPort == null || p.HostPort == hostPort) && (protocol == null || p.Protocol == protocol)).ToList();
        if (setup == null || ports.Count == 0)
            throw Errors.Errors.PortNotPublished(container, $"{hostPort?.ToString() ?? "*"}/{protocol ?? "*"}");
        var facts = driver.Facts(setup, pid);
        return ports.Select(p => PortDiagnosis.Diagnose(container, setup, p, facts)).ToList();
    }

    /// <summary>
    /// Sets up the container's network for a run, before its init runs: the namespace at
    /// NetnsPath(id), each network's veth and address, its ports (those left to us chosen now).
    /// Nothing (null) for a container on none, host or another's network. When it fails, nothing of it is left.
    /// </summary>
    public NetworkSetup? Setup(string dir, ContainerRecord record)
    {
        if (!NetworkOptions.IsNetworkName(record.NetworkMode))
            return null;
        var attachments = record.Networks.Select(endpoint => AttachmentOf(record, endpoint)).ToList();
        var setup = new NetworkSetup(record.Id, paths.NetnsPath(record.Id), attachments, PortChooser.Choose(record.Ports), DnsOf(record, attachments));
        var file = Path.Combine(dir, SetupFile);
        // recorded first: whoever finds the container dead with it (a crash half-way) tears it down
        WriteSetup(dir, setup);
        try
        {
            driver.Setup(setup);
        }
        catch
        {
            File.Delete(file);
            throw;
        }
        return setup;
    }

    /// <summary>
    /// What the driver is to make of the container's endpoint on a network: the network's bridge
    /// and addressing, the endpoint's interfaces and addresses, and on a network with DNS the
    /// names the resolver answers for it.
    /// </summary>
    public NetworkAttachment AttachmentOf(ContainerRecord record, NetworkEndpoint endpoint)
    {
        var network = networks.ReadRecord(endpoint.Network) ?? throw Errors.Errors.NetworkNotFound(endpoint.Network);
        var prefix = Subnet.Parse(network.Subnet, "subnet").Prefix;
        var prefix6 = network.Subnet6 != null ? Subnet.Parse(network.Subnet6, "IPv6 subnet").Prefix : 0;
        return new NetworkAttachment(network.Name, network.Bridge, endpoint.Interface, endpoint.HostInterface, network.Subnet,
            $"{endpoint.Address}/{prefix}", network.Gateway, network.Mtu, network.Internal,
            network.Subnet6, endpoint.Address6 != null ? $"{endpoint.Address6}/{prefix6}" : null, network.Gateway6,
            NetworkResolver.AddressesOf(network) != null ? [record.Name, .. endpoint.Aliases, Ids.Short(record.Id)] : null);
    }

    /// <summary>
    /// The resolver's side of the setup when one of its networks has DNS: the container's own
    /// name servers (-Dns, else the host's it could reach) are what its other names are forwarded to.
    /// </summary>
    public NetworkDns? DnsOf(ContainerRecord record, IReadOnlyList<NetworkAttachment> attachments) =>
        attachments.Any(a => a.DnsNames != null) && NetworkResolver.Find() is { } resolver
            ? new NetworkDns(NetworkResolver.DirectoryOf(paths), resolver,
                EtcFiles.Servers(HostFiles.Read("/etc/resolv.conf") ?? "", HostFiles.Read(EtcFiles.SystemdResolvConf), attachments.Any(a => a.Subnet6 != null), record.Dns))
            : null;

    /// <summary>Undoes the recorded setup, if there is one (idempotent: the monitor may have done it at the container's exit).</summary>
    public void Teardown(string dir)
    {
        var file = Path.Combine(dir, SetupFile);
        if (SetupOf(dir) is not { } setup)
            return;
        driver.Teardown(setup);
        File.Delete(file);
    }

    /// <summary>The container's published ports: while it runs, as its setup gave them; else as asked for (a port to be chosen without one).</summary>
    public static IReadOnlyList<PortMapping> PortsOf(string dir, ContainerRecord record, bool running) =>
        record.Ports.Count == 0 ? []
        : running ? SetupOf(dir)?.Ports ?? record.Ports
        : record.Ports;
}
