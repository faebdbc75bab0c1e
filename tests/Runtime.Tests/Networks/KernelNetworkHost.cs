using Container.Runtime.Networks;
using Container.Runtime.Storage;

namespace Container.Tests.Networks;

/// <summary>
/// A test's stand-in for the host: a network namespace of its own (and remote hosts wired to
/// it), a private store's run root, the real driver working in that namespace, and the
/// containers and setups the test made, all removed on dispose.
/// </summary>
internal sealed class KernelNetworkHost : IDisposable
{
    public const string HostAddress = "198.51.100.1";
    public const string RemoteAddress = "198.51.100.2";
    public const string HostAddress6 = "2001:db8:100::1";
    public const string RemoteAddress6 = "2001:db8:100::2";

    private readonly List<KernelNamespace> namespaces = [];
    private readonly List<KernelContainer> containers = [];
    private readonly List<NetworkSetup> setups = [];
    private readonly HashSet<string> ownLinks = ["lo"];

    public KernelNetworkHost()
    {
        Root = Directory.CreateTempSubdirectory("container-net-").FullName;
        Paths = new StorePaths(Root, Path.Combine(Root, "run"));
        Host = KernelNamespace.Create();
        namespaces.Add(Host);
        Driver = new NetworkDriver(Host.Path);
    }

    public string Root { get; }

    public StorePaths Paths { get; }

    public KernelNamespace Host { get; }

    public NetworkDriver Driver { get; }

    /// <summary>Another host, on a link to this one: it has RemoteAddress (and RemoteAddress6 with ipv6), this one HostAddress (HostAddress6).</summary>
    public KernelNamespace AddRemote(bool ipv6 = false)
    {
        var remote = KernelNamespace.Create();
        namespaces.Add(remote);
        var link = Host.Connect(remote, HostAddress + "/24", RemoteAddress + "/24");
        ownLinks.Add(link);
        if (ipv6)
        {
            // nodad: usable at once, not after duplicate address detection's second or two
            Host.Ip("addr", "add", HostAddress6 + "/64", "dev", link, "nodad");
            remote.Ip("addr", "add", RemoteAddress6 + "/64", "dev", KernelNamespace.PeerOf(link), "nodad");
        }
        return remote;
    }

    /// <summary>A setup of a new container on a network (by default: the default bridge's), address 10.88.0.host (and fd00:88::host with ipv6).</summary>
    public NetworkSetup NewSetup(int host, bool @internal = false, bool ipv6 = false, int mtu = 1500, string bridge = "container0", string subnet = "10.88.0",
        params PortMapping[] ports)
    {
        var id = Container.Runtime.Ids.New();
        var setup = new NetworkSetup(id, Path.Combine(Paths.RunRoot, "netns", id),
            [new NetworkAttachment("net-" + bridge, bridge, "eth0", "veth" + id[..8], $"{subnet}.0/24", $"{subnet}.{host}/24",
                @internal ? "" : $"{subnet}.1", mtu, @internal,
                ipv6 ? "fd00:88::/64" : null, ipv6 ? $"fd00:88::{host}/64" : null, ipv6 && !@internal ? "fd00:88::1" : null)],
            ports);
        lock (setups)
            setups.Add(setup);
        return setup;
    }

    /// <summary>Sets the network up and starts the command in it, under a monitor that holds its ports.</summary>
    public KernelContainer Run(string name, NetworkSetup setup, params string[] command)
    {
        Driver.Setup(setup);
        return Start(name, setup, command);
    }

    /// <summary>Starts the command in a namespace set up already.</summary>
    public KernelContainer Start(string name, NetworkSetup setup, params string[] command)
    {
        var container = KernelContainer.Prepare(Paths, name, setup.NamespacePath, command);
        lock (containers)
            containers.Add(container);
        container.Run(setup);
        return container;
    }

    /// <summary>busybox httpd serving the container's name on port 80, in the foreground.</summary>
    public KernelContainer RunWebServer(string name, NetworkSetup setup)
    {
        var container = Run(name, setup, "httpd", "-f", "-p", "80", "-h", "/tmp");
        container.WaitForListening(80);
        return container;
    }

    /// <summary>The host's links, once the driver's background work is done.</summary>
    public string Links()
    {
        WaitForBackgroundWork();
        return Host.Ip("-o", "link", "show");
    }

    /// <summary>The helper's children that delete links after a teardown hold background.lock (shared) until they are done.</summary>
    private void WaitForBackgroundWork()
    {
        var lockFile = Path.Combine(Paths.RunRoot, "netns", "background.lock");
        if (File.Exists(lockFile))
            FileLock.Acquire(lockFile).Dispose();
    }

    /// <summary>What is left of our work in the host's namespace: links but lo and the test's own, our table, the namespace's mount.</summary>
    public IReadOnlyList<string> Leftovers()
    {
        var left = new List<string>();
        foreach (var link in Links().Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = link.Split(':')[1].Trim().Split('@')[0];
            if (!ownLinks.Contains(name))
                left.Add("link " + name);
        }
        var table = Host.Exec("nft", "list", "table", "inet", "container");
        if (table.Succeeded)
            left.Add("table inet container");
        var mounts = File.ReadAllText("/proc/self/mountinfo");
        if (mounts.Contains(Paths.RunRoot, StringComparison.Ordinal))
            left.Add("a mount under " + Paths.RunRoot);
        var netnsDir = Path.Combine(Paths.RunRoot, "netns");
        if (Directory.Exists(netnsDir))
            left.AddRange(Directory.GetFiles(netnsDir).Where(f => Path.GetFileName(f) is not ("network.lock" or "background.lock")).Select(f => "file " + f));
        return left;
    }

    public void Dispose()
    {
        foreach (var container in containers)
            container.Dispose();
        foreach (var setup in setups)
        {
            try
            {
                Driver.Teardown(setup);
            }
            catch (Exception)
            {
                // the test failed already; clean what can be cleaned
            }
        }
        WaitForBackgroundWork();
        foreach (var ns in namespaces)
            ns.Dispose();
        Directory.Delete(Root, recursive: true);
    }
}
