using Container.Runtime.Containers;
using Container.Runtime.Kubernetes;
using Container.Tests.Compose;
using Container.Tests.Fixtures;
using k8s.Models;
using Xunit;

namespace Container.Tests.Kubernetes;

/// <summary>
/// -Ipc and -Pid written as a pod says them: the host's as hostIPC and hostPID, a PID namespace
/// the pod's containers share as shareProcessNamespace, and a warning for what a pod cannot say.
/// </summary>
public sealed class PodNamespaceTests
{
    private static readonly (bool?, bool?, bool?) Unset = (null, null, null);

    private static ContainerSpec Box(string name, string? ipc = null, string? pid = null, string? network = null) =>
        new() { Image = "busybox:test", Name = name, Command = ["sleep", "60"], Ipc = ipc, Pid = pid, Network = network };

    private static (V1PodSpec Spec, IReadOnlyList<string> Warnings, string Yaml) Generate(params ContainerSpec[] containers)
    {
        var documents = KubeGenerator.Generate(new PodDescription("web-pod", containers), new KubeOptions());
        return (documents.Objects.OfType<V1Pod>().Single().Spec, documents.Warnings, KubeYaml.Write(documents.Objects));
    }

    [Fact]
    public void TheHostsNamespacesAreThePodsHostIpcAndHostPid()
    {
        var (spec, warnings, yaml) = Generate(Box("web", ipc: NamespaceModes.Host, pid: NamespaceModes.Host));
        Assert.Equal(((bool?)true, (bool?)true, (bool?)null), (spec.HostIPC, spec.HostPID, spec.ShareProcessNamespace));
        Assert.Empty(warnings);
        Assert.Contains("hostPID: true", yaml);
        Assert.Contains("hostIPC: true", yaml);

        var (own, ownWarnings, ownYaml) = Generate(Box("web", ipc: NamespaceModes.Private));
        Assert.Equal(Unset, (own.HostIPC, own.HostPID, own.ShareProcessNamespace));
        Assert.Empty(ownWarnings);
        Assert.DoesNotContain("host", ownYaml);
    }

    [Fact]
    public void OneContainerOnTheHostsPutsThePodThereAndSaysSoOfTheOthers()
    {
        var (spec, warnings, _) = Generate(Box("web", pid: NamespaceModes.Host), Box("sidecar", network: "container:web"));
        Assert.True(spec.HostPID);
        Assert.Null(spec.HostIPC);
        Assert.Equal(["Container 'sidecar': hostPID is the pod's: it is in the host's PID namespace too, not its own."], warnings);
    }

    [Fact]
    public void ContainersOfThePodInOnePidNamespaceShareTheProcessNamespace()
    {
        var (spec, warnings, yaml) = Generate(Box("web"), Box("sidecar", ipc: "container:web", pid: "container:web", network: "container:web"));
        Assert.True(spec.ShareProcessNamespace);
        Assert.Null(spec.HostPID);
        Assert.Empty(warnings);
        Assert.Contains("shareProcessNamespace: true", yaml);

        // a third of its own is made to share as well
        var (_, third, _) = Generate(Box("web"), Box("sidecar", pid: "container:web", network: "container:web"), Box("other", network: "container:web"));
        Assert.Equal(["Container 'other': shareProcessNamespace is the pod's: it shares one PID namespace with the pod's other containers, not its own."], third);
    }

    [Fact]
    public void ANamespaceOfAContainerOutsideThePodIsLeftOutWithAWarning()
    {
        var (spec, warnings, _) = Generate(Box("web", ipc: "container:db", pid: "container:db"));
        Assert.Equal(Unset, (spec.HostIPC, spec.HostPID, spec.ShareProcessNamespace));
        Assert.Equal(
            ["Container 'web': its IPC namespace is container db's, which is not in this pod; left out.",
             "Container 'web': its PID namespace is container db's, which is not in this pod; left out."],
            warnings);
    }

    [Fact]
    public void AComposeServicesHostNamespacesAreItsPodsAndAnotherServicesIsAWarning()
    {
        using var directory = new ComposeDirectory();
        var project = directory.LoadYaml("""
            name: shop
            services:
              web: {image: busybox, ipc: host, pid: host}
              tail: {image: busybox, pid: "service:web", ipc: shareable}
            """);
        var generated = ProjectKube.Generate(project, KubeKind.Pod);
        var pods = generated.Objects.OfType<V1Pod>().ToDictionary(p => p.Metadata.Name, p => p.Spec);
        Assert.Equal(((bool?)true, (bool?)true), (pods["web"].HostIPC, pods["web"].HostPID));
        Assert.Equal(Unset, (pods["tail"].HostIPC, pods["tail"].HostPID, pods["tail"].ShareProcessNamespace));
        Assert.Contains("Service 'tail': pid 'service:web' cannot be said in Kubernetes (each service is a pod of its own); left out.", generated.Warnings);
        Assert.DoesNotContain(generated.Warnings, w => w.Contains("ipc", StringComparison.Ordinal));
    }

    [Fact]
    [Trait("Category", "Kernel")]
    public void ARealContainerJoinedToAnothersPidNamespaceIsOnePodThatSharesIt()
    {
        using var store = new TestStore();
        store.Containers.Create(Box("owner") with { Image = TestStore.Image });
        store.Containers.Create(Box("joiner", ipc: "container:owner", pid: "container:owner", network: "container:owner") with { Image = TestStore.Image });
        store.Containers.Create(Box("host") with { Image = TestStore.Image, Pid = NamespaceModes.Host, Ipc = NamespaceModes.Host });

        var shared = store.Engine.Kubernetes.Generate(["joiner"], new KubeOptions());
        Assert.Contains("shareProcessNamespace: true", shared.Yaml);
        Assert.DoesNotContain("hostPID", shared.Yaml);
        Assert.Empty(shared.Warnings);

        var host = store.Engine.Kubernetes.Generate(["host"], new KubeOptions());
        Assert.Contains("hostPID: true", host.Yaml);
        Assert.Contains("hostIPC: true", host.Yaml);
        Assert.DoesNotContain("shareProcessNamespace", host.Yaml);
    }
}
