using Container.Runtime.Containers;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Networks;

/// <summary>
/// The /etc files and the network namespace as real containers see them, on the modes that
/// need no kernel network of ours: none, and container: of one on none. Under every runtime.
/// </summary>
[Trait("Category", "Kernel")]
public sealed class ModelEtcFilesInContainerTests : IDisposable
{
    private readonly TestStore store = new();

    public void Dispose() => store.Dispose();

    [SkippableTheory]
    [InlineData("container-runtime")]
    [InlineData("runc")]
    public void AContainerOnLoopbackReadsItsOwnFiles(string runtime)
    {
        Skip.If(runtime != "container-runtime" && !File.Exists($"/usr/bin/{runtime}"), $"{runtime} is not installed");
        store.Containers.Create(new ContainerSpec
        {
            Image = TestStore.Image, Name = "reader", Runtime = runtime, Network = "none", Hostname = "box", AddHost = ["db:10.1.2.3"], Dns = ["192.0.2.53"],
            Command = ["sh", "-c", "cat /etc/hosts /etc/hostname /etc/resolv.conf; echo; hostname; ls /sys/class/net"],
        });
        store.Containers.Start("reader");
        Assert.Equal(0, store.Containers.Wait("reader", TimeSpan.FromSeconds(30)).ExitCode);

        var lines = store.Output("reader").Split('\n');
        Assert.Contains("127.0.0.1\tlocalhost", lines);
        Assert.Contains("10.1.2.3\tdb", lines);
        Assert.Contains("nameserver 192.0.2.53", lines);
        Assert.Equal(["box", "box", "lo"], lines.Where(l => l is "box" or "lo"));
    }

    [Fact]
    public void AContainerJoinsTheNamespaceOfAnotherThatRuns()
    {
        store.Containers.Create(new ContainerSpec { Image = TestStore.Image, Name = "first", Network = "none", Hostname = "shared", Command = ["sleep", "300"] });
        var first = store.Containers.Start("first");
        store.Containers.Create(new ContainerSpec { Image = TestStore.Image, Name = "second", Network = "container:first", Command = ["sh", "-c", "hostname; readlink /proc/self/ns/net"] });
        store.Containers.Start("second");
        store.Containers.Wait("second", TimeSpan.FromSeconds(30));

        var netns = new FileInfo($"/proc/{first.Pid}/ns/net").LinkTarget;
        Assert.Equal($"shared\n{netns}", store.Output("second"));
    }
}
