using Container.Runtime.Errors;
using Container.Runtime.Kubernetes;
using Container.Tests.Compose;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Kubernetes;

/// <summary>
/// kube play of ConfigMaps and Secrets (as volume files and as environment), of a Deployment's
/// replicas and of a pod's IPC and PID namespaces: real containers read what the play wrote.
/// </summary>
[Trait("Category", "Kernel")]
public sealed class KubePlayFilesTests
{
    // modes in decimal, as podman kube generate writes them (0600 is 384, 0440 is 288)
    private const string Objects = """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings}
        data:
          app.conf: "listen 8080\n"
          LEVEL: debug
          COLOR: blue
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: credentials}
        type: Opaque
        data:
          password: czNjcjN0
        stringData:
          token: plain-token
        """;

    private const string Pod = Objects + """

        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: files, labels: {tier: web}}
        spec:
          restartPolicy: Never
          volumes:
          - name: config
            configMap:
              name: settings
              items:
              - {key: app.conf, path: conf/app.conf, mode: 384}
          - name: secret
            secret: {secretName: credentials, defaultMode: 288}
          containers:
          - name: reader
            image: busybox:test
            command: [sh, -c]
            args:
            - >-
              cat /etc/app/conf/app.conf; stat -c '%a' /etc/app/conf/app.conf;
              cat /run/secret/password; echo; stat -c '%a' /run/secret/password; cat /run/secret/token; echo;
              cat /etc/single.conf;
              touch /run/secret/new 2>/dev/null && echo writable || echo read-only;
              echo "$PASSWORD $LEVEL $CFG_COLOR $CFG_LEVEL $POD $TIER $NS [$MISSING]"
            volumeMounts:
            - {name: config, mountPath: /etc/app}
            - {name: secret, mountPath: /run/secret}
            - {name: config, mountPath: /etc/single.conf, subPath: conf/app.conf}
            envFrom:
            - {configMapRef: {name: settings}, prefix: CFG_}
            env:
            - name: PASSWORD
              valueFrom: {secretKeyRef: {name: credentials, key: password}}
            - name: LEVEL
              valueFrom: {configMapKeyRef: {name: settings, key: LEVEL}}
            - name: POD
              valueFrom: {fieldRef: {fieldPath: metadata.name}}
            - name: TIER
              valueFrom: {fieldRef: {fieldPath: "metadata.labels['tier']"}}
            - name: NS
              valueFrom: {fieldRef: {fieldPath: metadata.namespace}}
            - name: MISSING
              valueFrom: {configMapKeyRef: {name: settings, key: nothere, optional: true}}
        """;

    [SkippableFact]
    public void AContainerReadsItsConfigMapAndSecretFilesAndEnvironment()
    {
        Skip.If(Runtime.Linux.Libc.Geteuid() != 0, "containers run as root");
        using var store = new TestStore();
        var plan = KubernetesService.Plan(Pod);
        var played = Assert.Single(store.Engine.Kubernetes.Play(plan, _ => true, (_, error) => throw error));
        Assert.Equal("files-reader", played.Name);
        Assert.Equal(0, store.Containers.Wait(played.Name, TimeSpan.FromSeconds(30)).ExitCode);
        Assert.Equal(
            "listen 8080\n600\ns3cr3t\n440\nplain-token\nlisten 8080\nread-only\ns3cr3t debug blue debug files web default []",
            store.Output(played.Name));
        var directory = Path.Combine(store.Paths.KubeDir, "files");
        Assert.True(File.Exists(Path.Combine(directory, "secret", "password")));
        // played again while its container is there: refused, and the first play's files kept
        var failures = new List<string>();
        Assert.Empty(store.Engine.Kubernetes.Play(plan, _ => true, (pod, error) => failures.Add($"{pod.Name}: {error.ErrorId}")));
        Assert.Equal(["files: NameInUse"], failures);
        Assert.True(File.Exists(Path.Combine(directory, "secret", "password")));

        Assert.Equal(["files-reader"], store.Engine.Kubernetes.Down(plan, _ => true));
        Assert.False(Directory.Exists(directory));
        Assert.Empty(store.Containers.List());
    }

    [SkippableFact]
    public void WhatConvertToKubernetesYamlWritesOfAProjectPlaysWithItsConfigsAndSecrets()
    {
        Skip.If(Runtime.Linux.Libc.Geteuid() != 0, "containers run as root");
        using var directory = new ComposeDirectory();
        directory.Write("token.txt", "s3cret\n");
        var project = directory.LoadYaml("""
            name: shop
            services:
              web:
                image: busybox:test
                network_mode: none
                command: [sh, -c, 'cat /etc/site.conf /etc/token /run/secrets/api_key; echo; stat -c %a /etc/token']
                configs: [{source: site, target: /etc/site.conf}]
                secrets: [{source: token, target: /etc/token, mode: 0400}, api_key]
            configs:
              site: {content: "listen 8080\n"}
            secrets:
              token: {file: ./token.txt}
              api_key: {environment: API_KEY}
            """, new Dictionary<string, string> { ["API_KEY"] = "k-123" });
        var yaml = KubernetesService.Generate(project, KubeKind.Pod).Yaml;
        using var store = new TestStore();
        var plan = KubernetesService.Plan(yaml);
        var played = Assert.Single(store.Engine.Kubernetes.Play(plan, _ => true, (_, error) => throw error));
        Assert.Equal(0, store.Containers.Wait(played.Name, TimeSpan.FromSeconds(30)).ExitCode);
        Assert.Equal("listen 8080\ns3cret\nk-123\n400", store.Output(played.Name));
        store.Engine.Kubernetes.Down(plan, _ => true);
        Assert.Empty(store.Containers.List());
        Assert.Empty(Directory.EnumerateFileSystemEntries(store.Paths.KubeDir));
    }

    [Theory]
    [InlineData("valueFrom: {configMapKeyRef: {name: settings, key: nothere}}", "ConfigMapNotFound")]
    [InlineData("valueFrom: {configMapKeyRef: {name: nomap, key: LEVEL}}", "ConfigMapNotFound")]
    [InlineData("valueFrom: {secretKeyRef: {name: credentials, key: nothere}}", "SecretNotFound")]
    [InlineData("valueFrom: {secretKeyRef: {name: nosecret, key: password}}", "SecretNotFound")]
    public void AMissingObjectOrKeyFailsThePlan(string valueFrom, string errorId)
    {
        var yaml = Objects + $$"""

            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: broken}
            spec:
              containers:
              - name: one
                image: busybox:test
                env:
                - name: X
                  {{valueFrom}}
            """;
        var error = Assert.Throws<ContainerException>(() => KubernetesService.Plan(yaml));
        Assert.Equal((errorId, ErrorKind.ObjectNotFound), (error.ErrorId, error.Kind));
    }

    [Theory]
    [InlineData("[{name: v, configMap: {name: nomap}}]", "", "ConfigMapNotFound")]
    [InlineData("[{name: v, secret: {secretName: nosecret}}]", "", "SecretNotFound")]
    [InlineData("[{name: v, configMap: {name: settings, items: [{key: nothere, path: x}]}}]", "", "ConfigMapNotFound")]
    [InlineData("[]", ", envFrom: [{secretRef: {name: nosecret}}]", "SecretNotFound")]
    [InlineData("[]", ", envFrom: [{configMapRef: {name: nomap}}]", "ConfigMapNotFound")]
    public void AMissingVolumeOrEnvFromObjectFailsThePlan(string volumes, string container, string errorId)
    {
        var yaml = Objects + $$"""

            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: broken}
            spec:
              volumes: {{volumes}}
              containers: [{name: one, image: busybox:test{{container}}}]
            """;
        var error = Assert.Throws<ContainerException>(() => KubernetesService.Plan(yaml));
        Assert.Equal((errorId, ErrorKind.ObjectNotFound), (error.ErrorId, error.Kind));
    }

    [Theory]
    [InlineData("[{name: v, mountPath: /v, subPath: ../../other}]")]
    [InlineData("[{name: v, mountPath: /v, subPath: /etc/passwd}]")]
    public void ASubPathOutOfTheVolumeIsRefused(string mounts)
    {
        var yaml = Objects + $$$"""

            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: escape}
            spec:
              volumes: [{name: v, configMap: {name: settings}}]
              containers: [{name: one, image: busybox:test, volumeMounts: {{{mounts}}}}]
            """;
        Assert.Equal("InvalidKubernetesYaml", Assert.Throws<ContainerException>(() => KubernetesService.Plan(yaml)).ErrorId);
    }

    [Fact]
    public void OptionalObjectsThatAreMissingAreLeftOut()
    {
        const string yaml = """
            apiVersion: v1
            kind: Pod
            metadata: {name: lenient}
            spec:
              volumes: [{name: v, configMap: {name: nomap, optional: true}}]
              containers:
              - name: one
                image: busybox:test
                envFrom: [{secretRef: {name: nosecret, optional: true}}]
                env: [{name: X, valueFrom: {secretKeyRef: {name: nosecret, key: k, optional: true}}}]
                volumeMounts: [{name: v, mountPath: /v}]
            """;
        var pod = Assert.Single(KubernetesService.Plan(yaml).Pods);
        Assert.Null(pod.Containers[0].Environment);
        // an empty directory, as Kubernetes mounts an optional object that is not there
        Assert.Empty(Assert.Single(pod.Volumes).Files);
    }

    [Fact]
    public void AModeWrittenInOctalIsReadAsOctal()
    {
        const string yaml = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: m}
            data: {k: v}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: octal}
            spec:
              volumes: [{name: v, configMap: {name: m, defaultMode: 0440}}]
              containers: [{name: one, image: busybox:test, volumeMounts: [{name: v, mountPath: /v}]}]
            """;
        var file = Assert.Single(Assert.Single(KubernetesService.Plan(yaml).Pods[0].Volumes).Files);
        Assert.Equal((UnixFileMode)0b100_100_000, file.Mode);
    }

    [Theory]
    [InlineData("04755")]
    [InlineData("01000")]
    [InlineData("-1")]
    public void AModeBeyond0777IsRefused(string mode)
    {
        var yaml = $$$"""
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: m}
            data: {k: v}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: setuid}
            spec:
              volumes: [{name: v, configMap: {name: m, defaultMode: {{{mode}}}}}]
              containers: [{name: one, image: busybox:test, volumeMounts: [{name: v, mountPath: /v}]}]
            """;
        Assert.Equal("InvalidKubernetesYaml", Assert.Throws<ContainerException>(() => KubernetesService.Plan(yaml)).ErrorId);
    }

    [SkippableFact]
    public void APodThatFailsHalfwayLeavesNoFiles()
    {
        Skip.If(Runtime.Linux.Libc.Geteuid() != 0, "containers run as root");
        using var store = new TestStore();
        var yaml = Objects + """

            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: half}
            spec:
              volumes: [{name: config, configMap: {name: settings}}]
              containers:
              - {name: fine, image: busybox:test, command: [sleep, '30'], volumeMounts: [{name: config, mountPath: /c}]}
              - {name: missing, image: no-such-image:1}
            """;
        var failures = new List<string>();
        var played = store.Engine.Kubernetes.Play(KubernetesService.Plan(yaml), _ => true, (pod, error) => failures.Add($"{pod.Name}: {error.ErrorId}"));
        Assert.Empty(played);
        Assert.Equal(["half: ImageNotFound"], failures);
        Assert.Empty(store.Containers.List());
        Assert.False(Directory.Exists(Path.Combine(store.Paths.KubeDir, "half")));
    }

    [SkippableFact]
    public void ADeploymentPlaysEachReplicaAndDownRemovesThemAll()
    {
        Skip.If(Runtime.Linux.Libc.Geteuid() != 0, "containers run as root");
        using var store = new TestStore();
        const string yaml = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              replicas: 3
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                  - {name: app, image: busybox:test, command: [sleep, '30'], ports: [{containerPort: 80, hostPort: 18089}]}
            """;
        var plan = KubernetesService.Plan(yaml);
        Assert.Equal(["web-pod", "web-pod-2", "web-pod-3"], plan.Pods.Select(p => p.Name));
        Assert.Equal([true, false, false], plan.Pods.Select(p => p.Containers[0].Publish != null));
        Assert.Contains(plan.Warnings, w => w.Contains("only its first pod publishes host ports", StringComparison.Ordinal));
        // the engine's default network is none here: the port is not published, the pods run
        var played = store.Engine.Kubernetes.Play(KubernetesService.Plan(yaml.Replace("ports: [{containerPort: 80, hostPort: 18089}]", "ports: []")), _ => true,
            (_, error) => throw error);
        Assert.Equal(["web-pod-app", "web-pod-2-app", "web-pod-3-app"], played.Select(c => c.Name));
        Assert.Equal(["web-pod-app", "web-pod-2-app", "web-pod-3-app"], store.Engine.Kubernetes.Down(plan, _ => true));
        Assert.Empty(store.Containers.List());
    }

    [SkippableFact]
    public void APodsContainersShareIpcAndWithShareProcessNamespacePid()
    {
        Skip.If(Runtime.Linux.Libc.Geteuid() != 0, "containers run as root");
        using var store = new TestStore();
        var namespaces = Namespaces(store, "shared", "shareProcessNamespace: true");
        Assert.Equal(namespaces.First.Ipc, namespaces.Second.Ipc);
        Assert.Equal(namespaces.First.Pid, namespaces.Second.Pid);
        Assert.NotEqual(HostNamespace("ipc"), namespaces.First.Ipc);
        Assert.NotEqual(HostNamespace("pid"), namespaces.First.Pid);

        var apart = Namespaces(store, "apart", "");
        Assert.Equal(apart.First.Ipc, apart.Second.Ipc);
        Assert.NotEqual(apart.First.Pid, apart.Second.Pid);

        var host = Namespaces(store, "host", "hostIPC: true\n  hostPID: true");
        Assert.Equal((HostNamespace("ipc"), HostNamespace("pid")), host.First);
        Assert.Equal(host.First, host.Second);
    }

    private static string HostNamespace(string kind) => new FileInfo($"/proc/self/ns/{kind}").LinkTarget!;

    /// <summary>The IPC and PID namespaces each of the pod's two containers is in, as it read them.</summary>
    private static ((string Ipc, string Pid) First, (string Ipc, string Pid) Second) Namespaces(TestStore store, string pod, string podSpec)
    {
        var yaml = $$"""
            apiVersion: v1
            kind: Pod
            metadata: {name: {{pod}}}
            spec:
              restartPolicy: Never
              {{podSpec}}
              containers:
              - {name: first, image: busybox:test, command: [sh, -c, 'readlink /proc/self/ns/ipc; readlink /proc/self/ns/pid; exec sleep 30']}
              - {name: second, image: busybox:test, command: [sh, -c, 'readlink /proc/self/ns/ipc; readlink /proc/self/ns/pid']}
            """;
        var plan = KubernetesService.Plan(yaml);
        store.Engine.Kubernetes.Play(plan, _ => true, (_, error) => throw error);
        Assert.Equal(0, store.Containers.Wait($"{pod}-second", TimeSpan.FromSeconds(30)).ExitCode);
        // the first wrote before it slept; its log may lag its write by a moment
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (store.Output($"{pod}-first").Split('\n').Length < 2 && DateTime.UtcNow < deadline)
            Thread.Sleep(50);
        var first = store.Output($"{pod}-first").Split('\n');
        var second = store.Output($"{pod}-second").Split('\n');
        store.Engine.Kubernetes.Down(plan, _ => true);
        return ((first[0], first[1]), (second[0], second[1]));
    }
}
