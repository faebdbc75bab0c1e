using System.Net;
using System.Net.Sockets;
using Xunit;
using Container.Runtime;
using Container.Runtime.Containers;
using Container.Runtime.Errors;
using Container.Runtime.Images;
using Container.Runtime.Linux;
using Container.Runtime.Networks;
using Container.Tests.Fixtures;

namespace Container.Tests.Networks;

/// <summary>
/// The engine as a user drives it, on the real driver and monitor, in a network namespace that
/// plays the host: -Network bridge with -Publish, from create to remove.
/// </summary>
[Trait("Category", "Kernel")]
public sealed class KernelEngineNetworkTests
{
    [SkippableFact]
    public void A_published_container_is_reached_from_the_host_holds_its_port_while_it_runs_and_leaves_nothing_once_removed()
    {
        Skip.If(Libc.Geteuid() != 0, "network namespaces, bridges and nftables need root");
        using var host = new KernelNetworkHost();
        var engine = new ContainerEngine(host.Paths, HostSeams.Of(host.Paths) with { Network = host.Driver });
        engine.Importer.Import(BusyboxRootfs.Path, ImageReference.Parse(TestStore.Image), ImageDefaults.From(["sh"], null, null));
        var containers = engine.Containers;
        try
        {
            containers.Create(new ContainerSpec
            {
                Image = TestStore.Image, Name = "web", Network = "bridge", Publish = ["8080:80"],
                Command = ["sh", "-c", "echo web > /tmp/index.html && exec httpd -f -p 80 -h /tmp"],
            });
            containers.Start("web");

            Assert.Contains("web", Eventually(() => host.Host.HttpGet("127.0.0.1", 8080)));
            Assert.Equal(SocketError.AddressAlreadyInUse, host.Host.TryBind(IPAddress.Any, 8080));
            var second = Assert.Throws<ContainerException>(() =>
            {
                containers.Create(new ContainerSpec { Image = TestStore.Image, Name = "second", Network = "bridge", Publish = ["8080:80"], Command = ["true"] });
                containers.Start("second");
            });
            Assert.Equal("PortInUse", second.ErrorId);

            containers.Stop("web", TimeSpan.FromSeconds(10), force: true);
            Assert.Equal(SocketError.Success, host.Host.TryBind(IPAddress.Any, 8080));
        }
        finally
        {
            foreach (var container in containers.List())
                containers.Remove(container.Id, force: true);
        }
        Assert.Empty(host.Leftovers());
    }

    /// <summary>What the container serves, once it serves it: its server starts after the engine's start returns.</summary>
    internal static string Eventually(Func<string> get)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                return get();
            }
            catch (InvalidOperationException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(50);
            }
        }
    }
}
