using Container.Runtime.Containers;
using Container.Runtime.Kubernetes;
using Container.Runtime.Volumes;
using Container.Tests.Fixtures;
using Container.Tests.Networks;
using Xunit;

namespace Container.Tests.Kubernetes;

/// <summary>
/// Ours writes a container as Kubernetes YAML and plays it again: real containers, the copy
/// made from the YAML alone. The one with a published port runs in a network namespace that plays the host.
/// </summary>
[Trait("Category", "Kernel")]
public sealed class KubePlayTests
{
    [SkippableFact]
    public void APlayOfWhatOursWroteRunsTheSameContainer()
    {
        using var host = KernelEngineHost.Create();
        var hostDir = Directory.CreateTempSubdirectory("kube-bind-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(hostDir, "greeting"), "from the host");
            var engine = host.Engine;
            var original = engine.Containers.Create(new ContainerSpec
            {
                Image = TestStore.Image,
                Name = "web",
                Network = "bridge",
                Publish = ["18081:80"],
                Entrypoint = ["/bin/sh", "-c"],
                Command = ["echo \"$GREETING $(cat /host/greeting)\" > /tmp/index.html && exec httpd -f -p 80 -h /tmp"],
                Environment = new Dictionary<string, string> { ["GREETING"] = "hello" },
                Limits = new ResourceLimits { Memory = 64L << 20, Cpus = 0.5 },
                ReadOnlyRootfs = true,
                CapDrop = ["NET_RAW"],
                Healthcheck = new Healthcheck { Command = ["test", "-f", "/tmp/index.html"], Interval = TimeSpan.FromSeconds(1) },
                Mounts =
                [
                    new ContainerMount { Type = MountType.Volume, Source = "data", Target = "/data" },
                    new ContainerMount { Type = MountType.Bind, Source = hostDir, Target = "/host", ReadOnly = true },
                    new ContainerMount { Type = MountType.Tmpfs, Target = "/tmp" },
                ],
            });
            engine.Containers.Start("web");
            Assert.EndsWith("\r\n\r\nhello from the host\n", host.Get(18081));
            engine.Containers.Stop("web", TimeSpan.FromSeconds(5));

            var yaml = engine.Kubernetes.Generate(["web"], new KubeOptions()).Yaml;
            var played = Assert.Single(engine.Kubernetes.Play(KubernetesService.Plan(yaml, network: "bridge"), _ => true, (_, error) => throw error));

            Assert.Equal("web-pod-web", played.Name);
            Assert.EndsWith("\r\n\r\nhello from the host\n", host.Get(18081));
            Assert.Equal(original.Image, played.Image);
            Assert.Equal(original.CommandLine, played.CommandLine);
            Assert.Equal(original.Environment.Order(), played.Environment.Order());
            Assert.Equal(original.Ports, played.Ports);
            Assert.Equal(original.Mounts.Select(m => (m.Type, m.Source, m.Target, m.ReadOnly)), played.Mounts.Select(m => (m.Type, m.Source, m.Target, m.ReadOnly)));
            var (originalLimits, playedLimits) = (engine.Containers.Limits("web").Limits, engine.Containers.Limits(played.Name).Limits);
            Assert.Equal((64L << 20, 0.5), (playedLimits.Memory, playedLimits.Cpus));
            Assert.Equal((originalLimits.Memory, originalLimits.Cpus), (playedLimits.Memory, playedLimits.Cpus));
            // what the bundle holds, read back as the original's: a read-only root, the capability dropped, the healthcheck
            var copy = ((k8s.Models.V1Pod)KubeYaml.Read(engine.Kubernetes.Generate([played.Name], new KubeOptions()).Yaml, []).Single(o => o is k8s.Models.V1Pod)).Spec.Containers[0];
            Assert.Equal(true, copy.SecurityContext.ReadOnlyRootFilesystem);
            Assert.Equal(["NET_RAW"], copy.SecurityContext.Capabilities.Drop);
            Assert.Equal(["test", "-f", "/tmp/index.html"], copy.LivenessProbe.Exec.Command);

            Assert.Equal(["web-pod-web"], engine.Kubernetes.Down(KubernetesService.Plan(yaml), _ => true));
            Assert.DoesNotContain(engine.Containers.List(), c => c.Name == "web-pod-web");
            Assert.Contains(engine.Volumes.List(), v => v.Name == "data");
        }
        finally
        {
            Directory.Delete(hostDir, recursive: true);
        }
    }

    [SkippableFact]
    public void APodsContainersShareOneNetworkNamespace()
    {
        Skip.If(Runtime.Linux.Libc.Geteuid() != 0, "containers run as root");
        using var store = new TestStore();
        const string yaml = """
            apiVersion: v1
            kind: Pod
            metadata: {name: pair}
            spec:
              restartPolicy: Never
              containers:
              - name: server
                image: busybox:test
                command: [sh, -c, 'echo served > /tmp/index.html && exec httpd -f -p 127.0.0.1:8080 -h /tmp']
              - name: client
                image: busybox:test
                command: [sh, -c, 'for i in $(seq 100); do wget -q -O- http://127.0.0.1:8080/ && exit 0; sleep 0.1; done; exit 1']
            """;
        var played = store.Engine.Kubernetes.Play(KubernetesService.Plan(yaml), _ => true, (_, error) => throw error);
        Assert.Equal(["pair-server", "pair-client"], played.Select(c => c.Name));
        Assert.Equal("container:" + played[0].Id, played[1].NetworkMode);
        Assert.Equal(0, store.Containers.Wait("pair-client", TimeSpan.FromSeconds(30)).ExitCode);
        Assert.Equal("served", store.Output("pair-client"));

        // written again, the two are one pod (they share a namespace), played again as one
        var again = store.Engine.Kubernetes.Generate(["pair-client"], new KubeOptions()).Yaml;
        var replayed = store.Engine.Kubernetes.Play(KubernetesService.Plan(again), _ => true, (_, error) => throw error);
        Assert.Equal(["pair-server-pod-pair-server", "pair-server-pod-pair-client"], replayed.Select(c => c.Name));
        Assert.Equal("container:" + replayed[0].Id, replayed[1].NetworkMode);
        Assert.Equal(replayed[0].Hostname, replayed[1].Hostname);
        Assert.Equal(0, store.Containers.Wait(replayed[1].Name, TimeSpan.FromSeconds(30)).ExitCode);
        Assert.Equal("served", store.Output(replayed[1].Name));
        store.Engine.Kubernetes.Down(KubernetesService.Plan(again), _ => true);
        Assert.Equal(["pair-client", "pair-server"], store.Engine.Kubernetes.Down(KubernetesService.Plan(yaml), _ => true));
        Assert.Empty(store.Containers.List());
    }

    [SkippableFact]
    public void APodThatCannotStartIsRemovedWhole()
    {
        Skip.If(Runtime.Linux.Libc.Geteuid() != 0, "containers run as root");
        using var store = new TestStore();
        const string yaml = """
            apiVersion: v1
            kind: Pod
            metadata: {name: broken}
            spec:
              containers:
              - {name: fine, image: busybox:test, command: [sleep, '30']}
              - {name: missing, image: no-such-image:1}
            """;
        var failures = new List<string>();
        var played = store.Engine.Kubernetes.Play(KubernetesService.Plan(yaml), _ => true, (pod, error) => failures.Add($"{pod.Name}: {error.ErrorId}"));
        Assert.Empty(played);
        Assert.Equal(["broken: ImageNotFound"], failures);
        Assert.Empty(store.Containers.List());
    }
}
