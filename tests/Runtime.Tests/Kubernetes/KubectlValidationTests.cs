using Container.Runtime.Containers;
using Container.Runtime.Kubernetes;
using Container.Runtime.Volumes;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Kubernetes;

/// <summary>
/// kubectl reads every kind of file ConvertTo-KubernetesYaml writes, validated against the
/// Kubernetes API's schema on the client (LocalKubeApi), and refuses a file that the schema does not allow.
/// </summary>
[Trait("Category", "Peers")]
public sealed class KubectlValidationTests : IDisposable
{
    private readonly LocalKubeApi? api = LocalKubeApi.Unavailable == null ? new LocalKubeApi() : null;

    public void Dispose() => api?.Dispose();

    private LocalKubeApi Api
    {
        get
        {
            Skip.If(api == null, LocalKubeApi.Unavailable);
            return api!;
        }
    }

    private static readonly string HostDir = Path.GetTempPath();

    private static ContainerSpec Everything => new()
    {
        Image = "busybox:test",
        Name = "web_1",
        Entrypoint = ["/bin/sh", "-c"],
        Command = ["exec httpd -f -p 80"],
        // strings that YAML would read as other types, were they not quoted
        Environment = new Dictionary<string, string>
        {
            ["MODE"] = "prod", ["EMPTY"] = "", ["ONE"] = "1", ["YES"] = "yes", ["NULL"] = "null", ["HEX"] = "0x1f", ["OCTAL"] = "0o17", ["LEADING_ZERO"] = "017",
            ["FLOAT"] = "1e3", ["INF"] = ".inf", ["TILDE"] = "~", ["TIME"] = "12:30:00", ["DATE"] = "2026-12-02", ["LINES"] = "two\nlines",
        },
        WorkingDirectory = "/srv",
        User = "1000:2000",
        Hostname = "web",
        Labels = new Dictionary<string, string> { ["tier"] = "front" },
        RestartPolicy = RestartPolicy.Parse("on-failure"),
        Healthcheck = new Healthcheck { Command = ["true"], StartPeriod = TimeSpan.FromSeconds(2) },
        CapAdd = ["CAP_NET_ADMIN"],
        CapDrop = ["MKNOD"],
        ReadOnlyRootfs = true,
        Tty = true,
        Interactive = true,
        Limits = new ResourceLimits { Memory = 64L << 20, Cpus = 1.5 },
        Publish = ["127.0.0.1:8080:80/tcp", "30053:53/udp", "9000"],
        Mounts =
        [
            new ContainerMount { Type = MountType.Volume, Source = "data", Target = "/data", Subpath = "sub" },
            new ContainerMount { Type = MountType.Volume, Source = "logs", Target = "/logs", ReadOnly = true },
            new ContainerMount { Type = MountType.Volume, Target = "/cache", Anonymous = true },
            new ContainerMount { Type = MountType.Bind, Source = HostDir, Target = "/host", ReadOnly = true },
            new ContainerMount { Type = MountType.Bind, Source = "/srv/missing", Target = "/missing", CreateSource = true },
            new ContainerMount { Type = MountType.Tmpfs, Target = "/scratch", TmpfsSize = 16L << 20 },
        ],
    };

    public static TheoryData<string> Files => new() { "pod", "deployment", "pod with service", "deployment with service", "two containers", "privileged on the host's network", "the host's IPC and PID namespaces", "one PID namespace", "the least" };

    private static string Yaml(string file)
    {
        var sidecar = new ContainerSpec { Image = "busybox:test", Name = "sidecar", Network = "container:x", Command = ["sleep", "60"], Publish = ["9090:9090"] };
        var least = new ContainerSpec { Image = "busybox" };
        var (containers, options) = file switch
        {
            "pod" => ([Everything], new KubeOptions()),
            "deployment" => ([Everything], new KubeOptions { Kind = KubeKind.Deployment }),
            "pod with service" => ([Everything], new KubeOptions { Service = true }),
            "deployment with service" => ([Everything], new KubeOptions { Kind = KubeKind.Deployment, Service = true }),
            "two containers" => ([Everything, sidecar], new KubeOptions { Service = true }),
            "privileged on the host's network" => ([Everything with { Privileged = true, Network = "host", Publish = null }], new KubeOptions()),
            "the host's IPC and PID namespaces" => ([Everything with { Ipc = "host", Pid = "host" }], new KubeOptions { Kind = KubeKind.Deployment }),
            "one PID namespace" => ([Everything, sidecar with { Pid = "container:web_1", Ipc = "container:web_1" }], new KubeOptions()),
            _ => (new[] { least }, new KubeOptions()),
        };
        return KubeYaml.Write(KubeGenerator.Generate(new PodDescription("web-pod", containers), options).Objects);
    }

    [SkippableTheory]
    [MemberData(nameof(Files))]
    public void KubectlValidatesWhatOursWrites(string file)
    {
        var yaml = Yaml(file);
        var result = Api.Validate(yaml);
        Assert.True(result.Succeeded, $"kubectl refused the {file}: {result.StandardError}\n{yaml}");
        // one line per object it read: persistentvolumeclaim/data, pod/web-pod (dry run)
        Assert.Equal(yaml.Split("\n---\n").Length, result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [SkippableFact]
    public void KubectlValidatesWhatOursWritesOfARealContainer()
    {
        Skip.If(Runtime.Linux.Libc.Geteuid() != 0, "the test store's image is imported as root");
        var kubectl = Api;
        using var store = new TestStore();
        store.Containers.Create(new ContainerSpec { Image = TestStore.Image, Name = "real", Command = ["sleep", "1"], Environment = new Dictionary<string, string> { ["A"] = "1" } });
        var result = kubectl.Validate(store.Engine.Kubernetes.Generate(["real"], new KubeOptions { Kind = KubeKind.Deployment }).Yaml);
        Assert.True(result.Succeeded, result.StandardError);
        Assert.Contains("deployment.apps/real-pod-deployment", result.StandardOutput);
    }

    [SkippableFact]
    public void KubectlValidatesWhatOursWritesOfAComposeProject()
    {
        var kubectl = Api;
        using var directory = new Compose.ComposeDirectory();
        directory.Write("token.txt", "s3cret");
        var project = directory.LoadYaml("""
            name: shop
            services:
              web:
                image: busybox
                ports: ["8080:8080"]
                deploy: {replicas: 2}
                configs: [site]
                secrets: [{source: token, mode: 0400}]
                volumes: [data:/data]
              db: {image: busybox, network_mode: none, ipc: host, pid: host, volumes: [data:/db]}
            volumes: {data: {}}
            configs: {site: {content: "hi"}}
            secrets: {token: {file: ./token.txt}}
            """);
        var yaml = KubernetesService.Generate(project).Yaml;
        var result = kubectl.Validate(yaml);
        Assert.True(result.Succeeded, $"kubectl refused the project: {result.StandardError}\n{yaml}");
        Assert.Equal(
            ["configmap/shop-site", "secret/shop-token", "persistentvolumeclaim/shop-data", "deployment.apps/db-deployment", "deployment.apps/web-deployment", "service/web"],
            result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [SkippableFact]
    public void KubectlRefusesWhatTheSchemaDoesNotAllow()
    {
        var result = Api.Validate("""
            apiVersion: v1
            kind: Pod
            metadata: {name: p}
            spec:
              containers:
              - name: c
                image: busybox
                bogusField: 1
                ports: [{containerPort: eighty}]
            """);
        Assert.False(result.Succeeded);
        Assert.Contains("bogusField", result.StandardError);
        Assert.Contains("containerPort", result.StandardError);
    }
}
