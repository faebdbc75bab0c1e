using Container.Runtime.Containers;
using Container.Runtime.Errors;
using Container.Tests.Conformance;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Containers;

/// <summary>-Ipc and -Pid: a container in another's IPC and PID namespaces, or the host's, under each runtime; bad modes refused at creation.</summary>
[Trait("Category", "Kernel")]
public sealed class SharedNamespaceTests : IDisposable
{
    private readonly TestStore store = new();

    public void Dispose() => store.Dispose();

    private const string Namespaces = "readlink /proc/self/ns/ipc; readlink /proc/self/ns/pid; ps -o args";

    private string RunToEnd(string name, string runtime, string? ipc, string? pid)
    {
        store.Containers.Create(new ContainerSpec { Image = TestStore.Image, Name = name, Command = ["sh", "-c", Namespaces], Runtime = Oci.Path(runtime), Ipc = ipc, Pid = pid });
        store.Containers.Start(name);
        Assert.Equal(0, store.Containers.Wait(name, TimeSpan.FromMinutes(1)).ExitCode);
        return store.Output(name);
    }

    /// <summary>What a namespace's link names (ipc:[inode]); .NET's LinkTarget gives null for /proc's.</summary>
    private static string Link(string path) => Runtime.Processes.ProcessRunner.Run("readlink", [path]).StandardOutput.Trim();

    [Theory]
    [InlineData(Oci.Ours)]
    [InlineData(Oci.Crun)]
    [InlineData(Oci.Runc)]
    public void AContainerJoinsAnothersIpcAndPidNamespacesOrTheHosts(string runtime)
    {
        store.Containers.Create(new ContainerSpec { Image = TestStore.Image, Name = "owner", Command = ["sleep", "100001"], Runtime = Oci.Path(runtime) });
        var owner = store.Containers.Start("owner");
        var ownerIpc = Link($"/proc/{owner.Pid}/ns/ipc");
        var ownerPid = Link($"/proc/{owner.Pid}/ns/pid");

        var joined = RunToEnd("joiner", runtime, "container:owner", "container:owner").Split('\n');
        Assert.Equal((ownerIpc, ownerPid), (joined[0], joined[1]));
        Assert.Contains(joined, line => line.Contains("sleep 100001"));
        var info = store.Containers.Get("joiner");
        Assert.Equal(("container:" + owner.Id, "container:" + owner.Id), (info.IpcMode, info.PidMode));

        var own = RunToEnd("private", runtime, null, null).Split('\n');
        Assert.NotEqual(ownerIpc, own[0]);
        Assert.NotEqual(ownerPid, own[1]);
        Assert.DoesNotContain(own, line => line.Contains("sleep 100001"));

        var host = RunToEnd("on-host", runtime, "host", "host").Split('\n');
        Assert.Equal((Link("/proc/self/ns/ipc"), Link("/proc/self/ns/pid")), (host[0], host[1]));
        Assert.Contains(host, line => line.Contains("sleep 100001"));
    }

    [Fact]
    public void AJoinerOfAStoppedContainerDoesNotStartAndBadModesMakeNothing()
    {
        store.Containers.Create(new ContainerSpec { Image = TestStore.Image, Name = "owner", Command = ["sleep", "100001"] });
        store.Containers.Create(new ContainerSpec { Image = TestStore.Image, Name = "joiner", Command = ["true"], Pid = "container:owner" });
        Assert.Equal("ContainerNotRunning", Assert.Throws<ContainerException>(() => store.Containers.Start("joiner")).ErrorId);

        Assert.Equal("InvalidNamespaceMode", Assert.Throws<ContainerException>(() =>
            store.Containers.Create(new ContainerSpec { Image = TestStore.Image, Name = "bad", Command = ["true"], Ipc = "bogus" })).ErrorId);
        Assert.Equal("ContainerNotFound", Assert.Throws<ContainerException>(() =>
            store.Containers.Create(new ContainerSpec { Image = TestStore.Image, Name = "bad", Command = ["true"], Ipc = "container:nobody" })).ErrorId);
        Assert.Equal("NamespaceModeConflict", Assert.Throws<ContainerException>(() =>
            store.Containers.Create(new ContainerSpec { Image = TestStore.Image, Name = "bad", Command = ["true"], Pid = "host", UidMap = ["0:100000:65536"] })).ErrorId);
        Assert.Equal(["joiner", "owner"], store.Containers.List().Select(c => c.Name).Order());
    }
}
