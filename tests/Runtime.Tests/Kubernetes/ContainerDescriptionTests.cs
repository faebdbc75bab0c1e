using Container.Runtime.Containers;
using Container.Runtime.Images;
using Container.Runtime.Kubernetes;
using Container.Runtime.Networks;
using Container.Runtime.Oci;
using Xunit;

namespace Container.Tests.Kubernetes;

/// <summary>An existing container as the spec that makes it again: what its image gives anyway left out, as podman leaves it out.</summary>
public sealed class ContainerDescriptionTests
{
    private static readonly ContainerConfig Image = new()
    {
        Entrypoint = ["/entry"],
        Cmd = ["serve"],
        Env = ["PATH=/bin", "MODE=dev"],
        WorkingDir = "/app",
        Labels = new Dictionary<string, string> { ["from"] = "image" },
    };

    private static ContainerRecord Record() => new()
    {
        Id = "abc",
        Name = "web",
        Image = "busybox:test",
        Entrypoint = ["/entry"],
        Command = ["serve"],
        Environment = ["PATH=/bin", "MODE=dev"],
        WorkingDirectory = "/app",
        Hostname = "web",
        Labels = new Dictionary<string, string> { ["from"] = "image" },
        NetworkMode = "bridge",
    };

    private static RuntimeSpec Bundle(IEnumerable<string>? capabilities = null, bool privileged = false) => new()
    {
        Root = new RootSpec { Readonly = true },
        Process = new ProcessSpec
        {
            NoNewPrivileges = !privileged,
            Capabilities = new CapabilitiesSpec { Bounding = [.. capabilities ?? SecurityDefaults.Capabilities] },
        },
        Linux = new LinuxSpec
        {
            Seccomp = privileged ? null : new SeccompSpec(),
            Resources = new ResourcesSpec { Memory = new MemorySpec { Limit = 64L << 20 } },
        },
    };

    [Fact]
    public void WhatTheImageSaysIsLeftOut()
    {
        var spec = ContainerDescription.Of(Record(), Bundle(), Image);
        Assert.Equal(("busybox:test", "web", "web"), (spec.Image, spec.Name, spec.Hostname));
        Assert.Null(spec.Entrypoint);
        Assert.Null(spec.Command);
        Assert.Null(spec.WorkingDirectory);
        Assert.Empty(spec.Environment!);
        Assert.Empty(spec.Labels!);
        Assert.Empty(spec.CapAdd!);
        Assert.Empty(spec.CapDrop!);
        Assert.True(spec.ReadOnlyRootfs);
        Assert.Equal(64L << 20, spec.Limits!.Memory);
    }

    [Fact]
    public void WhatTheContainerChangedIsKept()
    {
        var record = Record();
        record.Command = ["debug"];
        record.Environment = ["PATH=/bin", "MODE=prod", "EXTRA=1"];
        record.WorkingDirectory = "/srv";
        record.Labels["tier"] = "front";
        record.Ports = [new PortMapping("127.0.0.1", 8080, 80, "tcp"), new PortMapping("", 0, 53, "udp")];
        var capabilities = SecurityDefaults.Capabilities.Where(c => c != "CAP_MKNOD").Append("CAP_NET_ADMIN");
        var spec = ContainerDescription.Of(record, Bundle(capabilities), Image);
        Assert.Null(spec.Entrypoint);
        Assert.Equal(["debug"], spec.Command);
        Assert.Equal(new Dictionary<string, string> { ["MODE"] = "prod", ["EXTRA"] = "1" }, spec.Environment);
        Assert.Equal("/srv", spec.WorkingDirectory);
        Assert.Equal(new Dictionary<string, string> { ["tier"] = "front" }, spec.Labels);
        Assert.Equal(["CAP_NET_ADMIN"], spec.CapAdd);
        Assert.Equal(["CAP_MKNOD"], spec.CapDrop);
        Assert.Equal(["127.0.0.1:8080:80/tcp", "53/udp"], spec.Publish);
    }

    [Fact]
    public void ANewEntrypointComesWithItsCommandEvenAnEmptyOne()
    {
        var record = Record();
        record.Entrypoint = ["/bin/date"];
        record.Command = [];
        var spec = ContainerDescription.Of(record, Bundle(), Image);
        Assert.Equal(["/bin/date"], spec.Entrypoint);
        Assert.Equal([], spec.Command);
    }

    [Fact]
    public void APrivilegedBundleIsAPrivilegedSpec()
    {
        var spec = ContainerDescription.Of(Record(), Bundle(Capabilities.All, privileged: true), Image);
        Assert.True(spec.Privileged);
        Assert.Null(spec.CapAdd);
    }
}
