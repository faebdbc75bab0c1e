using System.Net.Sockets;
using Container.Runtime.Containers;
using Container.Runtime.Kubernetes;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Kubernetes;

/// <summary>
/// Ours and podman read each other's Kubernetes YAML: podman kube play runs what ours wrote and
/// its server answers; ours plays what podman kube generate wrote. podman's pod is on the host's
/// network (hostNetwork, written from a container of ours on the host's network), its server on
/// 127.0.0.1 alone: podman's own networks would add bridges and firewall rules to the host.
/// </summary>
[Trait("Category", "Peers")]
public sealed class KubePeerTests : IDisposable
{
    private readonly TestStore store = new();
    private readonly string dir = Directory.CreateTempSubdirectory("kube-peer-").FullName;

    public void Dispose()
    {
        store.Dispose();
        Directory.Delete(dir, recursive: true);
    }

    private static void SkipUnlessPodman()
    {
        Skip.If(Runtime.Linux.Libc.Geteuid() != 0, "podman and our containers run as root here");
        Skip.If(KubePodman.Unavailable != null, KubePodman.Unavailable);
    }

    [SkippableTheory]
    [InlineData(KubeKind.Pod, false, "kweb-pod")]
    [InlineData(KubeKind.Pod, true, "kweb-pod")]
    // podman 4.3 numbers a Deployment's pods (<deployment>-pod-0); later podmans name the one pod <deployment>-pod, as ours does
    [InlineData(KubeKind.Deployment, false, "kweb-pod-deployment-pod")]
    public void PodmanPlaysWhatOursWrote(KubeKind kind, bool service, string podmansPod)
    {
        SkipUnlessPodman();
        using var podman = new KubePodman(store);
        var port = FreeLoopbackPort();
        store.Containers.Create(new ContainerSpec
        {
            Image = TestStore.Image,
            Name = "kweb",
            Network = "host",
            Entrypoint = ["/bin/sh", "-c"],
            Command = [$"echo \"$GREETING\" > /tmp/index.html && exec httpd -f -p 127.0.0.1:{port} -h /tmp"],
            Environment = new Dictionary<string, string> { ["GREETING"] = "hello from ours" },
            Limits = new ResourceLimits { Memory = 64L << 20 },
            WorkingDirectory = "/tmp",
        });
        var file = Path.Combine(dir, "kweb.yaml");
        File.WriteAllText(file, store.Engine.Kubernetes.Generate(["kweb"], new KubeOptions { Kind = kind, Service = service }).Yaml);
        try
        {
            KubePodman.Succeeded(podman.Podman("kube", "play", file));
            Assert.Equal("hello from ours\n", HttpGet(port));
            var played = KubePodman.Succeeded(podman.Podman("ps", "--format", "{{.Names}}")).Split('\n').Single(n => n.EndsWith("-kweb", StringComparison.Ordinal));
            Assert.StartsWith(podmansPod + "-", played);
            var inspected = KubePodman.Succeeded(podman.Podman("inspect", played, "--format", "{{.HostConfig.Memory}} {{.Config.WorkingDir}} {{.Config.Env}}"));
            Assert.StartsWith($"{64L << 20} /tmp [", inspected);
            Assert.Contains("GREETING=hello from ours", inspected);
        }
        finally
        {
            podman.Podman("kube", "down", file);
        }
    }

    [SkippableFact]
    public void OursPlaysWhatPodmanWrote()
    {
        SkipUnlessPodman();
        using var podman = new KubePodman(store);
        KubePodman.Succeeded(podman.Podman("create", "--name", "pweb", "--network", "none", "--restart", "no", "-e", "GREETING=hi",
            "--memory", "64m", "-w", "/tmp", $"localhost/{TestStore.Image}", "sh", "-c", "echo $GREETING from $(pwd)"));
        var yaml = KubePodman.Succeeded(podman.Podman("kube", "generate", "pweb"));
        // podman names its image as it loaded it
        store.Engine.Images.Tag(TestStore.Image, Runtime.Images.ImageReference.Parse($"localhost/{TestStore.Image}"));

        var played = Assert.Single(store.Engine.Kubernetes.Play(KubernetesService.Plan(yaml), _ => true, (_, error) => throw error));

        Assert.Equal("pweb-pod-pweb", played.Name);
        // podman 4.3 writes no restartPolicy: Kubernetes' default, Always, as podman kube play reads it too
        Assert.Equal("always", played.RestartPolicy);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!store.Output(played.Name).Split('\n').Contains("hi from /tmp"))
        {
            Assert.True(DateTime.UtcNow < deadline, $"no greeting in the log: '{store.Output(played.Name)}'");
            Thread.Sleep(20);
        }
        Assert.Equal(64L << 20, store.Containers.Limits(played.Name).Limits.Memory);
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The body 127.0.0.1:port serves, once it serves (podman's play returns before the server listens).</summary>
    private static string HttpGet(int port)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                return client.GetStringAsync($"http://127.0.0.1:{port}/").GetAwaiter().GetResult();
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(50);
            }
        }
    }
}
