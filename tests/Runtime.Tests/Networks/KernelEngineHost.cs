using System.Net;
using System.Net.Sockets;
using Xunit;
using Container.Runtime;
using Container.Runtime.Containers;
using Container.Runtime.Images;
using Container.Runtime.Linux;
using Container.Runtime.Storage;
using Container.Tests.Fixtures;

namespace Container.Tests.Networks;

/// <summary>
/// The engine on the real driver and monitor in a network namespace that plays the host, the
/// busybox image imported; what the crash tests do to a run (a reboot) and ask of the host
/// afterwards (what is left). Its containers and the host are removed on dispose.
/// </summary>
internal sealed class KernelEngineHost : IDisposable
{
    private const int MntDetach = 2;

    private KernelEngineHost()
    {
        Kernel = new KernelNetworkHost();
        Engine = new ContainerEngine(Kernel.Paths, HostSeams.Of(Kernel.Paths) with { Network = Kernel.Driver });
        Engine.Importer.Import(BusyboxRootfs.Path, ImageReference.Parse(TestStore.Image), ImageDefaults.From(["sh"], null, null));
    }

    /// <summary>The netns that plays the host, and the real driver in it.</summary>
    public KernelNetworkHost Kernel { get; }

    public ContainerEngine Engine { get; }

    public ContainerService Containers => Engine.Containers;

    /// <summary>One, on a host where one can be made (root: namespaces, bridges and nftables).</summary>
    public static KernelEngineHost Create()
    {
        Skip.If(Libc.Geteuid() != 0, "network namespaces, bridges and nftables need root");
        return new KernelEngineHost();
    }

    /// <summary>busybox httpd on the network (the default bridge), its port 80 published on the host's port, started and serving on 127.0.0.1.</summary>
    public ContainerInfo StartPublished(string name, int port, string network = "bridge")
    {
        var created = Containers.Create(new ContainerSpec
        {
            Image = TestStore.Image, Name = name, Network = network, Publish = [$"{port}:80"],
            Command = ["sh", "-c", $"echo {name} > /tmp/index.html && exec httpd -f -p 80 -h /tmp"],
        });
        Containers.Start(created.Id);
        Assert.Contains(name, Get(port));
        return Containers.Get(created.Id);
    }

    /// <summary>What the host's 127.0.0.1:port serves, once it serves it (the server starts after the engine's start returns).</summary>
    public string Get(int port) => KernelEngineNetworkTests.Eventually(() => Kernel.Host.HttpGet("127.0.0.1", port));

    public RunRecord RunRecordOf(ContainerInfo container) => Json.ReadFile<RunRecord>(Path.Combine(container.Path, ContainerStore.RunFile));

    public bool IsMonitorActive(string id) => FileLock.IsHeld(Path.Combine(Kernel.Paths.ContainerDir(id), ContainerStore.MonitorLockFile));

    /// <summary>Its monitor killed (SIGKILL), its init left running unwatched.</summary>
    public void KillMonitor(ContainerInfo container)
    {
        Libc.Kill(RunRecordOf(container).MonitorPid, 9);
        WaitUntil(() => !IsMonitorActive(container.Id), "the killed monitor to be gone");
    }

    /// <summary>
    /// What a reboot does to a run, short of the kernel's objects of the host (its links and
    /// rules, which stay in the netns that plays it): its monitor and init gone, unwarned, the
    /// namespace bind mounts with the run root's tmpfs, and the run root's files with it.
    /// </summary>
    public void Reboot(ContainerInfo container)
    {
        var init = RunRecordOf(container).Pid;
        KillMonitor(container);
        Libc.Kill(init, 9);
        WaitUntil(() => Containers.Get(container.Id).Status == ContainerStatus.Exited, "the killed init to be gone");
        foreach (var mount in MountsUnder(Kernel.Paths.RunRoot).OrderByDescending(m => m.Length))
            Assert.True(Libc.Umount2(mount, MntDetach) == 0, $"unmount {mount}");
        Directory.Delete(Kernel.Paths.RunRoot, recursive: true);
    }

    private static IEnumerable<string> MountsUnder(string dir) =>
        File.ReadLines("/proc/self/mountinfo").Select(line => line.Split(' ')[4])
            .Where(point => point == dir || point.StartsWith(dir + "/", StringComparison.Ordinal)).Distinct();

    /// <summary>Nothing of the container's network on the host: no link (veth, bridge), rule, namespace mount or file, and its port free.</summary>
    public void AssertNothingLeft(string id, int port)
    {
        Assert.Empty(Kernel.Leftovers());
        Assert.DoesNotContain(id, Kernel.Host.Exec("nft", "list", "ruleset").StandardOutput);
        Assert.Equal(SocketError.Success, Kernel.Host.TryBind(IPAddress.Any, port));
    }

    /// <summary>Whether the network's leases (as stored, the dead's too) hold one of the container's.</summary>
    public bool HasLease(string id, string network = "bridge")
    {
        var file = Path.Combine(Kernel.Paths.NetworkDir(network), "leases.json");
        return File.Exists(file) && File.ReadAllText(file).Contains(id, StringComparison.Ordinal);
    }

    public void AssertNoLease(string id, string network = "bridge") =>
        Assert.False(HasLease(id, network), $"a lease of {id} is left on {network}");

    public void WaitUntil(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            Thread.Sleep(10);
        }
    }

    public void Dispose()
    {
        try
        {
            foreach (var container in Containers.List())
                Containers.Remove(container.Id, force: true);
        }
        finally
        {
            Kernel.Dispose();
        }
    }
}
