using Container.Runtime.Containers;
using Container.Runtime.Errors;
using Container.Runtime.Kubernetes;
using Container.Runtime.Volumes;
using k8s.Models;
using Xunit;

namespace Container.Tests.Kubernetes;

/// <summary>
/// Container specs written as Kubernetes objects and YAML, and read back as the specs a play
/// makes: each field where Kubernetes has one, in Kubernetes' terms, and back unchanged.
/// </summary>
public sealed class KubeConversionTests : IDisposable
{
    private readonly string hostDir = Directory.CreateTempSubdirectory("kube-host-").FullName;

    public void Dispose() => Directory.Delete(hostDir, recursive: true);

    private ContainerSpec Web => new()
    {
        Image = "busybox:test",
        Name = "web",
        Entrypoint = ["/bin/sh", "-c"],
        Command = ["echo $MODE; exec httpd -f -p 80"],
        Environment = new Dictionary<string, string> { ["MODE"] = "prod", ["EMPTY"] = "" },
        WorkingDirectory = "/srv",
        User = "1000:2000",
        Hostname = "web",
        Labels = new Dictionary<string, string> { ["tier"] = "front" },
        RestartPolicy = RestartPolicy.Parse("on-failure"),
        Healthcheck = new Healthcheck { Command = ["/bin/sh", "-c", "wget -q -O- localhost"], Interval = TimeSpan.FromSeconds(5), Timeout = TimeSpan.FromSeconds(2), Retries = 4, StartPeriod = TimeSpan.FromSeconds(3) },
        CapAdd = ["CAP_NET_ADMIN"],
        CapDrop = ["CAP_MKNOD"],
        ReadOnlyRootfs = true,
        Limits = new ResourceLimits { Memory = 64L << 20, Cpus = 1.5 },
        Network = "bridge",
        Publish = ["127.0.0.1:8080:80/tcp", "5353:53/udp", "9000/tcp"],
        Mounts =
        [
            new ContainerMount { Type = MountType.Volume, Source = "data", Target = "/data" },
            new ContainerMount { Type = MountType.Bind, Source = hostDir, Target = "/host", ReadOnly = true },
            new ContainerMount { Type = MountType.Tmpfs, Target = "/scratch", TmpfsSize = 16L << 20 },
        ],
    };

    private static KubeDocuments Generate(KubeOptions? options = null, params ContainerSpec[] containers) =>
        KubeGenerator.Generate(new PodDescription("web-pod", containers), options ?? new KubeOptions());

    private static PlayPlan Play(KubeDocuments documents) => KubernetesService.Plan(KubeYaml.Write(documents.Objects));

    [Fact]
    public void AContainerIsAPodInKubernetesTerms()
    {
        var documents = Generate(null, Web);
        Assert.Empty(documents.Warnings);
        var claim = Assert.IsType<V1PersistentVolumeClaim>(documents.Objects[0]);
        Assert.Equal("data", claim.Metadata.Name);
        Assert.Equal("1Gi", claim.Spec.Resources.Requests["storage"].ToString());
        var pod = Assert.IsType<V1Pod>(documents.Objects[1]);
        Assert.Equal(2, documents.Objects.Count);
        Assert.Equal(("v1", "Pod", "web-pod"), (pod.ApiVersion, pod.Kind, pod.Metadata.Name));
        Assert.Equal("web-pod", pod.Metadata.Labels["app"]);
        Assert.Equal("front", pod.Metadata.Annotations["tier/web"]);
        Assert.Equal(("OnFailure", "web"), (pod.Spec.RestartPolicy, pod.Spec.Hostname));
        var container = Assert.Single(pod.Spec.Containers);
        Assert.Equal(("web", "busybox:test", "/srv"), (container.Name, container.Image, container.WorkingDir));
        // command replaces the ENTRYPOINT, args the CMD
        Assert.Equal(["/bin/sh", "-c"], container.Command);
        Assert.Equal(["echo $MODE; exec httpd -f -p 80"], container.Args);
        Assert.Equal([("MODE", "prod"), ("EMPTY", "")], container.Env.Select(e => (e.Name, e.Value)));
        Assert.Equal(("64Mi", "1500m"), (container.Resources.Limits["memory"].ToString(), container.Resources.Limits["cpu"].ToString()));
        Assert.Equal(["/bin/sh", "-c", "wget -q -O- localhost"], container.LivenessProbe.Exec.Command);
        Assert.Equal((5, 2, 4, 3), (container.LivenessProbe.PeriodSeconds, container.LivenessProbe.TimeoutSeconds, container.LivenessProbe.FailureThreshold, container.LivenessProbe.InitialDelaySeconds));
        var security = container.SecurityContext;
        Assert.Equal((1000L, 2000L, true), (security.RunAsUser, security.RunAsGroup, security.ReadOnlyRootFilesystem));
        Assert.Equal(["NET_ADMIN"], security.Capabilities.Add);
        Assert.Equal(["MKNOD"], security.Capabilities.Drop);
        Assert.Null(security.Privileged);
        Assert.Equal([(80, (int?)8080, "127.0.0.1", (string?)null), (53, 5353, null, "UDP"), (9000, null, null, null)],
            container.Ports.Select(p => (p.ContainerPort, p.HostPort, (string?)p.HostIP, (string?)p.Protocol)));
        Assert.Equal([("/data", "data-pvc", (bool?)null), ("/host", KubeNames.HostPathVolume(hostDir), true), ("/scratch", "scratch-tmpfs", null)],
            container.VolumeMounts.Select(m => (m.MountPath, m.Name, m.ReadOnlyProperty)));
        var volumes = pod.Spec.Volumes.ToDictionary(v => v.Name);
        Assert.Equal("data", volumes["data-pvc"].PersistentVolumeClaim.ClaimName);
        Assert.Equal((hostDir, "Directory"), (volumes[KubeNames.HostPathVolume(hostDir)].HostPath.Path, volumes[KubeNames.HostPathVolume(hostDir)].HostPath.Type));
        Assert.Equal(("Memory", "16Mi"), (volumes["scratch-tmpfs"].EmptyDir.Medium, volumes["scratch-tmpfs"].EmptyDir.SizeLimit.ToString()));
    }

    [Fact]
    public void APlayOfTheYamlMakesTheSameContainerUnderThePodsName()
    {
        var original = Web;
        var pod = Assert.Single(Play(Generate(null, original)).Pods);
        Assert.Equal("web-pod", pod.Name);
        var played = Assert.Single(pod.Containers);
        Assert.Equal("web-pod-web", played.Name);
        Assert.Equal(original.Image, played.Image);
        Assert.Equal(original.Entrypoint, played.Entrypoint);
        Assert.Equal(original.Command, played.Command);
        Assert.Equal(original.Environment, played.Environment);
        Assert.Equal((original.WorkingDirectory, original.User, original.Hostname, original.ReadOnlyRootfs), (played.WorkingDirectory, played.User, played.Hostname, played.ReadOnlyRootfs));
        Assert.Equal(original.RestartPolicy, played.RestartPolicy);
        Assert.Equal(original.Healthcheck! with { Command = [] }, played.Healthcheck! with { Command = [] });
        Assert.Equal(original.Healthcheck.Command, played.Healthcheck.Command);
        Assert.Equal((original.Limits!.Memory, original.Limits.Cpus), (played.Limits!.Memory, played.Limits.Cpus));
        Assert.Equal(["NET_ADMIN"], played.CapAdd);
        Assert.Equal(["MKNOD"], played.CapDrop);
        // the pod's network is the store's default (null) unless the play names one; the host ports as published
        Assert.Null(played.Network);
        Assert.Equal(["127.0.0.1:8080:80/tcp", "5353:53/udp"], played.Publish);
        Assert.Equal(new Dictionary<string, string> { ["app"] = "web-pod", ["tier"] = "front" }, played.Labels);
        Assert.Equal(original.Mounts!.Select(m => (m.Type, m.Source, m.Target, m.ReadOnly, m.TmpfsSize)), played.Mounts!.Select(m => (m.Type, m.Source, m.Target, m.ReadOnly, m.TmpfsSize)));
    }

    [Fact]
    public void ContainersOfOnePodShareTheFirstsNetworkNamespace()
    {
        var sidecar = new ContainerSpec { Image = "busybox:test", Name = "log_shipper", Network = "container:abc", Publish = ["9090:9090"], Command = ["sleep", "60"] };
        var documents = Generate(null, Web, sidecar);
        var pod = documents.Objects.OfType<V1Pod>().Single();
        Assert.Equal(["web", "log-shipper"], pod.Spec.Containers.Select(c => c.Name));
        var plan = Play(documents);
        var (first, second) = (plan.Pods[0].Containers[0], plan.Pods[0].Containers[1]);
        Assert.Equal("web-pod-log-shipper", second.Name);
        Assert.Equal("container:web-pod-web", second.Network);
        Assert.Equal(("web", null), (first.Hostname, second.Hostname));
        // the namespace's owner publishes every port of the pod
        Assert.Null(second.Publish);
        Assert.Contains("9090:9090/tcp", first.Publish!);
        Assert.Equal(["web-pod-web", "web-pod-log-shipper"], plan.ContainerNames);
    }

    [Fact]
    public void ADeploymentIsAlwaysRestartedAndPlaysItsTemplateOnce()
    {
        var deployment = Assert.IsType<V1Deployment>(Generate(new KubeOptions { Kind = KubeKind.Deployment }, Web).Objects[1]);
        Assert.Equal(("apps/v1", "Deployment", "web-pod-deployment", 1), (deployment.ApiVersion, deployment.Kind, deployment.Metadata.Name, deployment.Spec.Replicas));
        Assert.Equal("web-pod", deployment.Spec.Selector.MatchLabels["app"]);
        Assert.Equal("web-pod", deployment.Spec.Template.Metadata.Labels["app"]);
        Assert.Equal("Always", deployment.Spec.Template.Spec.RestartPolicy);
        var pod = Assert.Single(Play(new KubeDocuments([deployment], [])).Pods);
        // as podman kube play names it: <deployment>-pod
        Assert.Equal(("web-pod-deployment-pod", "web-pod-deployment-pod-web"), (pod.Name, pod.Containers[0].Name));
        Assert.Equal(RestartMode.Always, pod.Containers[0].RestartPolicy!.Mode);
    }

    [Fact]
    public void AServiceIsWrittenOnlyWhenAskedForWithTheNodePortsKubernetesTakes()
    {
        Assert.Empty(Generate(null, Web).Objects.OfType<V1Service>());
        var spec = Web with { Publish = ["30080:80", "8443:443"] };
        var service = Generate(new KubeOptions { Service = true }, spec).Objects.OfType<V1Service>().Single();
        Assert.Equal(("NodePort", "web-pod"), (service.Spec.Type, service.Spec.Selector["app"]));
        Assert.Equal([("80-tcp", 80, "80", (int?)30080), ("443-tcp", 443, "443", null)],
            service.Spec.Ports.Select(p => (p.Name, p.Port, p.TargetPort.Value, p.NodePort)));
        // the pod keeps its host ports: played here, it runs as the container did
        Assert.Equal(["30080:80/tcp", "8443:443/tcp"], Play(Generate(new KubeOptions { Service = true }, spec)).Pods[0].Containers[0].Publish);
        Assert.Empty(Generate(new KubeOptions { Service = true }, Web with { Publish = null }).Objects.OfType<V1Service>());
    }

    [Fact]
    public void APlayPublishesTheNodePortsOfTheServicesThatSelectThePod()
    {
        const string yaml = """
            apiVersion: v1
            kind: Service
            metadata: {name: web}
            spec:
              type: NodePort
              selector: {app: web}
              ports: [{port: 8080, targetPort: 80, nodePort: 30080}, {port: 53, protocol: UDP, nodePort: 30053}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: other}
            spec: {type: NodePort, selector: {app: other}, ports: [{port: 80, nodePort: 31000}]}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: web, labels: {app: web}}
            spec:
              containers:
              - {name: httpd, image: busybox, ports: [{containerPort: 80}, {containerPort: 53, protocol: UDP}, {containerPort: 9000, hostPort: 19000}]}
            """;
        var played = Assert.Single(KubernetesService.Plan(yaml).Pods[0].Containers);
        Assert.Equal(["30080:80/tcp", "30053:53/udp", "19000:9000/tcp"], played.Publish);
    }

    [Fact]
    public void CommandAndArgsAreTheEntrypointAndTheCmd()
    {
        var onlyArgs = Generate(null, new ContainerSpec { Image = "busybox", Name = "a", Command = ["echo", "hi"] }).Objects.OfType<V1Pod>().Single().Spec.Containers[0];
        Assert.Null(onlyArgs.Command);
        Assert.Equal(["echo", "hi"], onlyArgs.Args);
        var onlyCommand = Generate(null, new ContainerSpec { Image = "busybox", Name = "a", Entrypoint = ["/bin/date"], Command = [] }).Objects.OfType<V1Pod>().Single().Spec.Containers[0];
        Assert.Equal(["/bin/date"], onlyCommand.Command);
        Assert.Null(onlyCommand.Args);
        // read back: a command alone drops the image's CMD (an empty command), as a new entrypoint does
        var played = KubernetesService.Plan(KubeYaml.Write([new V1Pod { ApiVersion = "v1", Kind = "Pod", Metadata = new V1ObjectMeta { Name = "p" }, Spec = new V1PodSpec { Containers = [onlyCommand] } }])).Pods[0].Containers[0];
        Assert.Equal(["/bin/date"], played.Entrypoint);
        Assert.Equal([], played.Command);
        var neither = Generate(null, new ContainerSpec { Image = "busybox", Name = "a" }).Objects.OfType<V1Pod>().Single().Spec.Containers[0];
        Assert.Equal((null, null), (neither.Command, neither.Args));
    }

    [Theory]
    [InlineData("no", "Never", RestartMode.No)]
    [InlineData("on-failure:3", "OnFailure", RestartMode.OnFailure)]
    [InlineData("always", "Always", RestartMode.Always)]
    [InlineData("unless-stopped", "Always", RestartMode.Always)]
    public void RestartPoliciesAreThePods(string ours, string kubernetes, RestartMode played)
    {
        var documents = Generate(null, Web with { RestartPolicy = RestartPolicy.Parse(ours) });
        Assert.Equal(kubernetes, documents.Objects.OfType<V1Pod>().Single().Spec.RestartPolicy);
        Assert.Equal(played, Play(documents).Pods[0].Containers[0].RestartPolicy!.Mode);
        Assert.Equal(ours == "on-failure:3", documents.Warnings.Any(w => w.Contains("retry count")));
    }

    [Fact]
    public void NoRestartPolicyIsKubernetesDefaultAlways() =>
        Assert.Equal(RestartMode.Always, KubePlay.RestartPolicyOf(null).Mode);

    [Fact]
    public void APrivilegedContainerSaysSoAndNoCapabilities()
    {
        var security = Generate(null, Web with { Privileged = true }).Objects.OfType<V1Pod>().Single().Spec.Containers[0].SecurityContext;
        Assert.Equal(true, security.Privileged);
        Assert.Null(security.Capabilities);
        var played = Play(Generate(null, Web with { Privileged = true })).Pods[0].Containers[0];
        Assert.True(played.Privileged);
    }

    [Fact]
    public void WhatKubernetesCannotSayIsLeftOutWithAWarning()
    {
        var documents = Generate(null, Web with
        {
            User = "nobody",
            Limits = new ResourceLimits { Memory = 1000, PidsLimit = 50 },
            Dns = ["10.0.0.1"],
        });
        var container = documents.Objects.OfType<V1Pod>().Single().Spec.Containers[0];
        Assert.Null(container.SecurityContext.RunAsUser);
        Assert.Equal(1000, KubeQuantities.Bytes(container.Resources.Limits["memory"]));
        Assert.Contains(documents.Warnings, w => w.Contains("'nobody'"));
        Assert.Contains(documents.Warnings, w => w.Contains("PidsLimit"));
        Assert.Contains(documents.Warnings, w => w.Contains("DNS"));
    }

    [Fact]
    public void HostNetworkIsThePodsAndPublishesNothing()
    {
        var documents = Generate(null, Web with { Network = "host" });
        Assert.Equal(true, documents.Objects.OfType<V1Pod>().Single().Spec.HostNetwork);
        var played = Play(documents).Pods[0].Containers[0];
        Assert.Equal(("host", null), (played.Network, played.Publish));
    }

    [Theory]
    [InlineData("web_1.blue", "web-1-blue")]
    [InlineData("Web", "web")]
    [InlineData("__", "container")]
    public void NamesAreDnsLabels(string ours, string label)
    {
        Assert.Equal(label, KubeNames.Label(ours));
        Assert.True(KubeNames.IsLabel(label));
    }

    [Fact]
    public void ContainersOfOnePodGetNamesOfTheirOwn()
    {
        var pod = Generate(null, Web with { Name = "web_1" }, Web with { Name = "web.1", Network = "container:x" }).Objects.OfType<V1Pod>().Single();
        Assert.Equal(["web-1", "web-1-2"], pod.Spec.Containers.Select(c => c.Name));
    }

    [Fact]
    public void EmptyDirVolumesAreAnonymousVolumesOrTmpfs()
    {
        const string yaml = """
            apiVersion: v1
            kind: Pod
            metadata: {name: p}
            spec:
              containers:
              - name: c
                image: busybox
                volumeMounts: [{name: cache, mountPath: /cache}, {name: mem, mountPath: /mem}, {name: h, mountPath: /h}, {name: claim, mountPath: /c, subPath: sub, readOnly: true}, {name: h, mountPath: /hs, subPath: logs}, {name: remote, mountPath: /s}]
              volumes:
              - {name: cache, emptyDir: {}}
              - {name: mem, emptyDir: {medium: Memory, sizeLimit: 8Mi}}
              - {name: h, hostPath: {path: /srv/h, type: Directory}}
              - {name: claim, persistentVolumeClaim: {claimName: shared}}
              - {name: remote, nfs: {server: nas, path: /export}}
            """;
        var plan = KubernetesService.Plan(yaml);
        var mounts = plan.Pods[0].Containers[0].Mounts!;
        Assert.Contains(plan.Warnings, w => w.Contains("'remote'"));
        Assert.Equal(
            [
                (MountType.Volume, null, "/cache", false, true, false, null, null),
                (MountType.Tmpfs, null, "/mem", false, false, false, 8L << 20, null),
                (MountType.Bind, "/srv/h", "/h", false, false, false, null, null),
                (MountType.Volume, "shared", "/c", true, false, false, (long?)null, "sub"),
                (MountType.Bind, "/srv/h/logs", "/hs", false, false, false, null, null),
            ],
            mounts.Select(m => (m.Type, m.Source, m.Target, m.ReadOnly, m.Anonymous, m.CreateSource, m.TmpfsSize, m.Subpath)));
    }

    [Fact]
    public void PodmansYamlIsPlayed()
    {
        // podman 4.3.1's kube generate of: podman create --name pweb -e GREETING=hi --memory 64m --cpus 0.5
        // -w /tmp --cap-add NET_ADMIN -v pvol:/data -v /tmp/pm:/host:ro localhost/busybox:test sh -c 'echo $GREETING'
        const string yaml = """
            # Save the output of this file and use kubectl create -f to import
            # it into Kubernetes.
            #
            # Created with podman-4.3.1
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              annotations:
                io.kubernetes.cri-o.TTY/pweb: "false"
                io.podman.annotations.autoremove/pweb: "FALSE"
              creationTimestamp: "2026-12-02T16:16:12Z"
              labels:
                app: pweb-pod
              name: pweb-pod
            spec:
              automountServiceAccountToken: false
              containers:
              - command:
                - sh
                - -c
                - echo $GREETING
                env:
                - name: GREETING
                  value: hi
                image: localhost/busybox:test
                name: pweb
                resources:
                  limits:
                    cpu: 500m
                    memory: 64Mi
                securityContext:
                  capabilities:
                    add:
                    - CAP_NET_ADMIN
                volumeMounts:
                - mountPath: /host
                  name: tmp-pm-host-0
                  readOnly: true
                - mountPath: /data
                  name: pvol-pvc
                workingDir: /tmp
              enableServiceLinks: false
              volumes:
              - hostPath:
                  path: /tmp/pm
                  type: Directory
                name: tmp-pm-host-0
              - name: pvol-pvc
                persistentVolumeClaim:
                  claimName: pvol
            """;
        var played = Assert.Single(KubernetesService.Plan(yaml).Pods[0].Containers);
        Assert.Equal(("pweb-pod-pweb", "localhost/busybox:test", "/tmp"), (played.Name, played.Image, played.WorkingDirectory));
        Assert.Equal(["sh", "-c", "echo $GREETING"], played.Entrypoint);
        Assert.Equal(new Dictionary<string, string> { ["GREETING"] = "hi" }, played.Environment);
        Assert.Equal((64L << 20, 0.5), (played.Limits!.Memory, played.Limits.Cpus));
        Assert.Equal(["CAP_NET_ADMIN"], played.CapAdd);
        Assert.Equal([(MountType.Bind, "/tmp/pm", "/host", true), (MountType.Volume, "pvol", "/data", false)], played.Mounts!.Select(m => (m.Type, m.Source, m.Target, m.ReadOnly)));
    }

    [Fact]
    public void HttpAndTcpProbesAreHealthchecksAsPodmanRunsThem()
    {
        const string yaml = """
            apiVersion: v1
            kind: Pod
            metadata: {name: p}
            spec:
              containers:
              - name: http
                image: busybox
                ports: [{name: web, containerPort: 8080}]
                livenessProbe: {httpGet: {path: /health, port: web}, periodSeconds: 5}
              - name: tcp
                image: busybox
                livenessProbe: {tcpSocket: {port: 5432}}
            """;
        var (http, tcp) = (KubernetesService.Plan(yaml).Pods[0].Containers[0].Healthcheck!, KubernetesService.Plan(yaml).Pods[0].Containers[1].Healthcheck!);
        Assert.Equal(["/bin/sh", "-c", "curl -f http://localhost:8080/health || exit 1"], http.Command);
        Assert.Equal((TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1), 3), (http.Interval, http.Timeout, http.Retries));
        Assert.Equal(["/bin/sh", "-c", "nc -z -v localhost 5432 || exit 1"], tcp.Command);
        Assert.Equal(TimeSpan.FromSeconds(10), tcp.Interval);
    }

    [Fact]
    public void StringsThatLookLikeOtherTypesAreQuoted()
    {
        var values = new[] { "0x1f", "0o17", "017", "12:30:00", ".inf", "1e3", "yes", "null", "2026-12-02", "64Mi", "prod", "-c" };
        var spec = Web with { Environment = values.Select((v, i) => (v, i)).ToDictionary(p => $"V{p.i}", p => p.v) };
        var yaml = KubeYaml.Write(Generate(null, spec).Objects);
        foreach (var value in values[..^3])
            Assert.Contains($"value: \"{value}\"", yaml);
        // what no reader takes for another type stays plain, as the client writes it
        Assert.Contains("value: 64Mi", yaml);
        Assert.Contains("value: prod", yaml);
        Assert.Contains("- -c", yaml);
        Assert.Equal(spec.Environment, KubernetesService.Plan(yaml).Pods[0].Containers[0].Environment);
    }

    [Fact]
    public void OtherKindsAreSkippedAndBadYamlIsRefused()
    {
        var plan = KubernetesService.Plan("apiVersion: batch/v1\nkind: Job\nmetadata: {name: c}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: busybox}]}\n");
        Assert.Contains(plan.Warnings, w => w.Contains("Job"));
        Assert.Single(plan.Pods);
        Assert.Equal("InvalidKubernetesYaml", Assert.Throws<ContainerException>(() => KubernetesService.Plan("kind: [unclosed")).ErrorId);
        Assert.Equal("InvalidKubernetesYaml", Assert.Throws<ContainerException>(() => KubernetesService.Plan("metadata: {name: x}\n")).ErrorId);
        Assert.Equal("NoPodInKubernetesYaml", Assert.Throws<ContainerException>(() => KubernetesService.Plan("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")).ErrorId);
        Assert.Equal("InvalidKubernetesYaml", Assert.Throws<ContainerException>(() =>
            KubernetesService.Plan("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: busybox, volumeMounts: [{name: missing, mountPath: /m}]}]}\n")).ErrorId);
        Assert.Equal("InvalidKubernetesYaml", Assert.Throws<ContainerException>(() =>
            KubernetesService.Plan("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {restartPolicy: Sometimes, containers: [{name: c, image: busybox}]}\n")).ErrorId);
    }
}
