using System.Text;
using Container.Runtime.Errors;
using Container.Runtime.Kubernetes;
using Container.Tests.Compose;
using k8s;
using k8s.Models;
using Xunit;

namespace Container.Tests.Kubernetes;

/// <summary>
/// A compose project written as Kubernetes YAML, as kompose writes it: compose text in, YAML
/// out, read back with the official client: each service a Deployment of its replicas with a
/// Service for its ports, configs and secrets as ConfigMaps and Secrets mounted at their
/// targets, one claim per named volume, and a warning for each field Kubernetes cannot say.
/// </summary>
public sealed class ProjectKubeTests : IDisposable
{
    private readonly ComposeDirectory directory = new();

    public void Dispose() => directory.Dispose();

    private const string TwoServices = """
        name: shop
        services:
          web:
            image: busybox
            command: ["httpd", "-f", "-p", "8080"]
            ports: ["8080:8080"]
            expose: ["9090"]
            deploy: {replicas: 3}
            environment: {MODE: prod}
            configs: [site, {source: site, target: /etc/site.conf}]
            secrets: [{source: token, target: /etc/token, mode: 0400}, api_key]
            volumes: [data:/data]
          db:
            image: busybox
            command: ["sleep", "1000"]
            network_mode: none
            devices: ["/dev/fuse"]
            depends_on: [web]
            volumes: [data:/var/lib/db]
        volumes:
          data: {}
        configs:
          site:
            content: "listen 8080\n"
        secrets:
          token:
            file: ./token.txt
          api_key:
            environment: API_KEY
        """;

    private (IReadOnlyList<IKubernetesObject> Objects, IReadOnlyList<string> Warnings, string Yaml) Generate(string yaml, KubeKind? kind = null)
    {
        directory.Write("token.txt", "s3cret\n");
        var project = directory.LoadYaml(yaml, new Dictionary<string, string> { ["API_KEY"] = "k-123" });
        var generated = KubernetesService.Generate(project, kind);
        var objects = KubernetesYaml.LoadAllFromString(generated.Yaml, Kinds).Cast<IKubernetesObject>().ToList();
        return (objects, generated.Warnings, generated.Yaml);
    }

    private static readonly Dictionary<string, Type> Kinds = new()
    {
        ["v1/ConfigMap"] = typeof(V1ConfigMap),
        ["v1/Secret"] = typeof(V1Secret),
        ["v1/PersistentVolumeClaim"] = typeof(V1PersistentVolumeClaim),
        ["apps/v1/Deployment"] = typeof(V1Deployment),
        ["v1/Service"] = typeof(V1Service),
        ["v1/Pod"] = typeof(V1Pod),
    };

    [Fact]
    public void EachServiceIsADeploymentOfItsReplicasWithAServiceForItsPorts()
    {
        var (objects, _, _) = Generate(TwoServices);
        Assert.Equal(
            ["ConfigMap/shop-site", "Secret/shop-api-key", "Secret/shop-token", "PersistentVolumeClaim/shop-data", "Deployment/db-deployment", "Deployment/web-deployment", "Service/web"],
            objects.Select(o => $"{o.Kind}/{((IMetadata<V1ObjectMeta>)o).Metadata.Name}"));
        var deployments = objects.OfType<V1Deployment>().ToDictionary(d => d.Metadata.Name);
        Assert.Equal(3, deployments["web-deployment"].Spec.Replicas);
        Assert.Equal(1, deployments["db-deployment"].Spec.Replicas);
        var web = deployments["web-deployment"].Spec.Template;
        Assert.Equal("web", web.Metadata.Labels["app"]);
        Assert.Equal(deployments["web-deployment"].Spec.Selector.MatchLabels, web.Metadata.Labels);
        var container = Assert.Single(web.Spec.Containers);
        // the service's spec as up makes it: its command, environment and ports; not compose's labels
        Assert.Equal(("web", "busybox"), (container.Name, container.Image));
        Assert.Equal(["httpd", "-f", "-p", "8080"], container.Args);
        Assert.Equal([("MODE", "prod")], container.Env.Select(e => (e.Name, e.Value)));
        Assert.Null(web.Metadata.Annotations);
        Assert.Equal([(8080, (int?)8080), (9090, null)], container.Ports.Select(p => (p.ContainerPort, p.HostPort)));
        var service = Assert.Single(objects.OfType<V1Service>());
        Assert.Equal(("web", "NodePort"), (service.Spec.Selector["app"], service.Spec.Type));
        Assert.Equal([8080, 9090], service.Spec.Ports.Select(p => p.Port));
        // the db has no port: no Service
        Assert.DoesNotContain(objects, o => o is V1Service { Metadata.Name: "db" });
    }

    [Fact]
    public void ConfigsAndSecretsAreObjectsOfTheirContentMountedAtTheirTargets()
    {
        var (objects, _, yaml) = Generate(TwoServices);
        var config = Assert.Single(objects.OfType<V1ConfigMap>());
        Assert.Equal("listen 8080\n", config.Data["site"]);
        var secrets = objects.OfType<V1Secret>().ToDictionary(s => s.Metadata.Name);
        Assert.Equal("Opaque", secrets["shop-token"].Type);
        Assert.Equal("s3cret\n", Encoding.UTF8.GetString(secrets["shop-token"].Data["token"]));
        Assert.Equal("k-123", Encoding.UTF8.GetString(secrets["shop-api-key"].Data["api_key"]));
        // a Secret's data is base64 in the YAML, as Kubernetes takes it
        Assert.Contains($"token: {Convert.ToBase64String(Encoding.UTF8.GetBytes("s3cret\n"))}", yaml);
        var pod = objects.OfType<V1Deployment>().Single(d => d.Metadata.Name == "web-deployment").Spec.Template.Spec;
        var mounts = pod.Containers[0].VolumeMounts.Where(m => m.ReadOnlyProperty == true).Select(m => (m.MountPath, m.Name, m.SubPath)).ToList();
        // compose's default targets: /<config>, /run/secrets/<secret>
        Assert.Equal([("/site", "shop-site-config", "site"), ("/etc/site.conf", "shop-site-config", "site"), ("/etc/token", "shop-token-secret", "token"), ("/run/secrets/api_key", "shop-api-key-secret", "api_key")], mounts);
        var volumes = pod.Volumes.ToDictionary(v => v.Name);
        Assert.Equal("shop-site", volumes["shop-site-config"].ConfigMap.Name);
        Assert.Equal([("site", "site")], volumes["shop-site-config"].ConfigMap.Items.Select(i => (i.Key, i.Path)));
        Assert.Equal("shop-token", volumes["shop-token-secret"].Secret.SecretName);
        Assert.Equal(0x100, volumes["shop-token-secret"].Secret.Items.Single().Mode);
    }

    [Fact]
    public void ANamedVolumeTwoServicesMountIsOneClaim()
    {
        var (objects, _, _) = Generate(TwoServices);
        var claim = Assert.Single(objects.OfType<V1PersistentVolumeClaim>());
        Assert.Equal("shop-data", claim.Metadata.Name);
        foreach (var deployment in objects.OfType<V1Deployment>())
            Assert.Contains(deployment.Spec.Template.Spec.Volumes, v => v.PersistentVolumeClaim?.ClaimName == "shop-data");
    }

    [Fact]
    public void WhatKubernetesCannotSayIsAWarningThatNamesTheServiceAndTheField()
    {
        var (_, warnings, _) = Generate(TwoServices);
        Assert.Contains(warnings, w => w.StartsWith("Service 'db': network_mode 'none'", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.StartsWith("Service 'db': devices", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.StartsWith("Service 'db': depends_on", StringComparison.Ordinal));
        Assert.DoesNotContain(warnings, w => w.StartsWith("Service 'web'", StringComparison.Ordinal));
    }

    [Fact]
    public void MoreFieldsLeftOutAreWarnedOfOneByOne()
    {
        var (objects, warnings, _) = Generate("""
            services:
              app:
                build: .
                restart: "no"
                container_name: the-app
                init: true
                stop_signal: SIGINT
                sysctls: {net.core.somaxconn: "1024"}
                networks:
                  back: {ipv4_address: 172.30.0.5, aliases: [api]}
                secrets: [{source: outside, uid: "1000"}]
            networks:
              back:
                ipam: {config: [{subnet: 172.30.0.0/24}]}
            secrets:
              outside: {external: true}
            """);
        foreach (var field in new[] { "build has no image: the pod runs '", "networks.back.ipv4_address", "networks.back.aliases", "restart 'no'", "container_name", "init", "stop_signal", "sysctls", "secrets.outside's uid and gid", "secrets.outside is external" })
            Assert.Contains(warnings, w => w.StartsWith($"Service 'app': {field}", StringComparison.Ordinal));
        // an external secret is the cluster's: referenced, not written
        Assert.Empty(objects.OfType<V1Secret>());
        var pod = objects.OfType<V1Deployment>().Single().Spec.Template.Spec;
        Assert.Contains(pod.Volumes, v => v.Secret?.SecretName == "outside");
    }

    [Fact]
    public void NetworkModeHostIsTheHostsNetwork()
    {
        var (objects, warnings, _) = Generate("""
            services:
              web: {image: busybox, network_mode: host}
            """);
        Assert.True(objects.OfType<V1Deployment>().Single().Spec.Template.Spec.HostNetwork);
        Assert.Empty(warnings);
    }

    [Fact]
    public void AsPodsReplicasAreWarnedOf()
    {
        var (objects, warnings, _) = Generate("""
            services:
              web: {image: busybox, deploy: {replicas: 2}}
            """, KubeKind.Pod);
        Assert.Equal("web", Assert.Single(objects.OfType<V1Pod>()).Metadata.Name);
        Assert.Contains(warnings, w => w.StartsWith("Service 'web': deploy.replicas (2)", StringComparison.Ordinal));
    }

    [Fact]
    public void ConfigContentThatIsNotTextIsBinaryData()
    {
        File.WriteAllBytes(Path.Join(directory.Path, "blob.bin"), [0xff, 0xfe, 0x00, 0x01]);
        var (objects, _, _) = Generate("""
            services:
              web: {image: busybox, configs: [blob]}
            configs:
              blob: {file: ./blob.bin}
            """);
        var map = Assert.Single(objects.OfType<V1ConfigMap>());
        Assert.Null(map.Data);
        Assert.Equal([0xff, 0xfe, 0x00, 0x01], map.BinaryData["blob"]);
    }

    [Fact]
    public void ASecretFromAVariableNotSetOrAFileNotThereIsAnError()
    {
        var unset = Assert.Throws<ContainerException>(() => Generate("""
            services:
              web: {image: busybox, secrets: [key]}
            secrets:
              key: {environment: NOT_SET_ANYWHERE}
            """));
        Assert.Equal(("ComposeVariableNotSet", ErrorKind.InvalidArgument), (unset.ErrorId, unset.Kind));
        var missing = Assert.Throws<ContainerException>(() => Generate("""
            services:
              web: {image: busybox, configs: [site]}
            configs:
              site: {file: ./not-there.conf}
            """));
        Assert.Equal(("ComposeConfigFileNotFound", ErrorKind.ObjectNotFound), (missing.ErrorId, missing.Kind));
    }
}
