using Xunit;
using Container.Runtime;
using Container.Runtime.Containers;
using Container.Runtime.Images;
using Container.Runtime.Linux;
using Container.Runtime.Networks;
using Container.Runtime.Processes;
using Container.Tests.Fixtures;

namespace Container.Tests.Networks;

/// <summary>
/// Name resolution between the members of a network, by the engine on the real driver and
/// monitor, in a namespace that plays the host: aardvark-dns answers members' names, aliases and
/// short ids, forwards other names to the container's upstream (dnsmasq in a namespace that plays
/// the DNS server), answers no member of another network, and is gone with the last member.
/// </summary>
[Trait("Category", "Kernel")]
public sealed class KernelDnsTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>What a test works with: the engine, the upstream server's address, the resolver's config directory.</summary>
    private sealed record DnsHost(KernelNetworkHost Host, ContainerEngine Engine, string Upstream, string Dir)
    {
        public ContainerService Containers => Engine.Containers;

        /// <summary>A running container on the network, its -Dns the upstream server.</summary>
        public ContainerInfo Run(string name, string network, string? alias = null)
        {
            Containers.Create(new ContainerSpec
            {
                Image = TestStore.Image, Name = name, Network = network, Dns = [Upstream], Alias = alias != null ? [alias] : null, Command = ["sleep", "600"],
            });
            return Containers.Start(name);
        }

        public List<string> Entries(string network) => [.. File.ReadAllLines(Path.Combine(Dir, network))];
    }

    [SkippableFact]
    public void Members_resolve_each_other_by_name_alias_and_short_id_other_names_upstream_and_not_another_networks_members() => OnTestHost(test =>
    {
        var containers = test.Containers;
        var app = test.Engine.Networks.Create(new NetworkSpec { Name = "app" });
        test.Engine.Networks.Create(new NetworkSpec { Name = "elsewhere" });
        var web = test.Run("web", "app", alias: "www");
        test.Run("client", "app");
        test.Run("stranger", "elsewhere");

        var resolvConf = Output(containers, "client", "cat", "/etc/resolv.conf");
        Assert.Contains($"nameserver {app.Gateway}", resolvConf);
        Assert.Contains($"search {NetworkResolver.SearchDomain}", resolvConf);
        var address = web.Networks[0].Address;
        Assert.Contains(address, Resolve(containers, "client", "web"));
        Assert.Contains(address, Resolve(containers, "client", "www"));
        Assert.Contains(address, Resolve(containers, "client", web.ShortId));
        Assert.Contains(address, Resolve(containers, "client", "web." + NetworkResolver.SearchDomain));
        Assert.Contains(KernelDnsServer.Answer, Resolve(containers, "client", "host.x.test"));

        // the resolver answers the stranger (its own name), but no member of app
        Resolve(containers, "stranger", "stranger");
        Assert.False(Resolves(containers, "stranger", "web"));
    });

    [SkippableFact]
    public void The_resolver_runs_while_the_network_has_running_members_and_is_gone_with_the_last() => OnTestHost(test =>
    {
        var containers = test.Containers;
        test.Engine.Networks.Create(new NetworkSpec { Name = "app" });
        test.Run("first", "app");
        test.Run("second", "app");
        var resolver = Assert.Single(ResolverProcesses(test.Dir));
        Assert.Contains("second", Resolve(containers, "first", "second"));
        // in the host's namespace, in a session of its own, no child of ours: it outlives the engine's process
        var inode = ProcessRunner.Run("stat", ["-L", "-c", "%i", test.Host.Host.Path]).StandardOutput.Trim();
        Assert.Equal($"net:[{inode}]", new FileInfo($"/proc/{resolver}/ns/net").LinkTarget);
        var stat = File.ReadAllText($"/proc/{resolver}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        Assert.NotEqual(Environment.ProcessId.ToString(), fields[1]); // its parent
        Assert.Equal(resolver.ToString(), fields[3]); // its session

        containers.Remove("second", force: true);
        Assert.Single(ResolverProcesses(test.Dir));
        Assert.DoesNotContain(test.Entries("app"), l => l.Contains("second", StringComparison.Ordinal));
        // the resolver reloads its entries after the removal returns
        Until(() => !Resolves(containers, "first", "second"), "first to resolve second no more");

        containers.Stop("first", TimeSpan.FromSeconds(10), force: true);
        Assert.Empty(ResolverProcesses(test.Dir));
        Assert.False(File.Exists(Path.Combine(test.Dir, "app")));
    });

    [SkippableFact]
    public void A_member_whose_monitor_was_killed_is_taken_from_the_resolver_by_the_next_command_that_finds_it_dead() => OnTestHost(test =>
    {
        var containers = test.Containers;
        test.Engine.Networks.Create(new NetworkSpec { Name = "app" });
        test.Run("first", "app");
        var victim = test.Run("victim", "app");
        Assert.Contains("victim", Resolve(containers, "first", "victim"));

        // nobody to tear its network down at its end: the monitor first, then its init
        var run = Json.ReadFile<RunRecord>(Path.Combine(victim.Path, ContainerStore.RunFile));
        System.Diagnostics.Process.GetProcessById(run.MonitorPid).Kill();
        Until(() => SmallFile.ReadText($"/proc/{run.MonitorPid}/cmdline") is not { Length: > 0 }, "the monitor to end");
        System.Diagnostics.Process.GetProcessById(run.Pid).Kill();
        Until(() => containers.Get("victim").Status == ContainerStatus.Exited, "victim to be seen dead");
        Assert.Contains(test.Entries("app"), l => l.StartsWith(victim.Id, StringComparison.Ordinal));

        containers.Remove("victim", force: true);
        Assert.DoesNotContain(test.Entries("app"), l => l.StartsWith(victim.Id, StringComparison.Ordinal));
        Until(() => !Resolves(containers, "first", "victim"), "first to resolve victim no more");
        Assert.Single(ResolverProcesses(test.Dir));
    });

    [SkippableFact]
    public void A_container_connected_live_is_answered_for_on_its_new_network_until_it_is_disconnected() => OnTestHost(test =>
    {
        var containers = test.Containers;
        var app = test.Engine.Networks.Create(new NetworkSpec { Name = "app" });
        test.Engine.Networks.Create(new NetworkSpec { Name = "elsewhere" });
        test.Run("first", "app");
        test.Run("late", "elsewhere");
        Assert.False(Resolves(containers, "first", "late"));

        var late = containers.ConnectNetwork("late", "app", aliases: ["latecomer"]);
        var address = late.Networks.Single(e => e.Network == "app").Address;
        Assert.Contains(address, Resolve(containers, "first", "late"));
        Assert.Contains(address, Resolve(containers, "first", "latecomer"));
        // and it asks the new network's resolver first: its members' names resolve for it too
        Assert.StartsWith($"search {NetworkResolver.SearchDomain}\nnameserver {app.Gateway}\n", Output(containers, "late", "cat", "/etc/resolv.conf"));
        Assert.Contains(test.Run("second", "app").Networks[0].Address, Resolve(containers, "late", "second"));

        containers.DisconnectNetwork("late", "app");
        Assert.DoesNotContain(test.Entries("app"), l => l.StartsWith(late.Id, StringComparison.Ordinal));
        Until(() => !Resolves(containers, "first", "late"), "first to resolve late no more");
        Assert.DoesNotContain($"nameserver {app.Gateway}", Output(containers, "late", "cat", "/etc/resolv.conf"));
    });

    /// <summary>
    /// The test on an engine in a namespace that plays the host, with an upstream server; then
    /// every container removed, after which no resolver, config or network part may be left
    /// (a resolver left is killed, so that a failed test leaves none running).
    /// </summary>
    private static void OnTestHost(Action<DnsHost> test)
    {
        Skip.If(Libc.Geteuid() != 0, "network namespaces, bridges and nftables need root");
        Skip.If(NetworkResolver.Find() == null, "aardvark-dns is not installed (Debian's package aardvark-dns)");
        Skip.If(!File.Exists(KernelDnsServer.Dnsmasq), "dnsmasq is not installed (Debian's package dnsmasq)");
        using var host = new KernelNetworkHost();
        using var upstream = new KernelDnsServer(host);
        var engine = new ContainerEngine(host.Paths, HostSeams.Of(host.Paths) with { Network = host.Driver });
        engine.Importer.Import(BusyboxRootfs.Path, ImageReference.Parse(TestStore.Image), ImageDefaults.From(["sh"], null, null));
        var dir = NetworkResolver.DirectoryOf(host.Paths);
        var leftResolvers = new List<int>();
        try
        {
            test(new DnsHost(host, engine, upstream.Address, dir));
        }
        finally
        {
            try
            {
                foreach (var container in engine.Containers.List())
                    engine.Containers.Remove(container.Id, force: true);
            }
            finally
            {
                leftResolvers = ResolverProcesses(dir);
                foreach (var pid in leftResolvers)
                    System.Diagnostics.Process.GetProcessById(pid).Kill();
            }
        }
        Assert.Empty(leftResolvers);
        Assert.False(Directory.Exists(dir));
        Assert.Empty(host.Leftovers());
    }

    private static string Output(ContainerService containers, string name, params string[] command)
    {
        var lines = new List<string>();
        var status = containers.Exec(name, new ExecSpec { Command = command }, (_, line) => lines.Add(line));
        return status == 0 ? string.Join('\n', lines) : throw new InvalidOperationException($"{string.Join(' ', command)} in {name}: {status}: {string.Join('\n', lines)}");
    }

    private static bool Resolves(ContainerService containers, string name, string query) =>
        containers.Exec(name, new ExecSpec { Command = ["nslookup", query] }, (_, _) => { }) == 0;

    /// <summary>busybox nslookup's answer, once it has one: the resolver reloads its entries after the start that added them returns.</summary>
    private static string Resolve(ContainerService containers, string name, string query)
    {
        Until(() => Resolves(containers, name, query), $"{name} to resolve {query}");
        return Output(containers, name, "nslookup", query);
    }

    private static void Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Timed out waiting for {what}.");
            Thread.Sleep(50);
        }
    }

    /// <summary>The resolver processes serving the config directory (by their command line; an ended one has none).</summary>
    private static List<int> ResolverProcesses(string dir) =>
        Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(n => int.TryParse(n, out _))
            .Where(pid => SmallFile.ReadText($"/proc/{pid}/cmdline") is { } cmdline && cmdline.Split('\0').Contains(dir))
            .Select(int.Parse!).ToList();
}
