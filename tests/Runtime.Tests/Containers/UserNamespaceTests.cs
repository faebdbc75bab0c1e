using Container.Runtime.Containers;
using Container.Runtime.Errors;
using Container.Runtime.Images;
using Container.Runtime.Linux;
using Container.Runtime.Volumes;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Containers;

/// <summary>
/// Containers in a user namespace (-UidMap 0:100000:65536): root inside, an unprivileged
/// range on the host, and their files (layers, writable layer, volumes, copies, commits)
/// owned as the maps say, on the host and inside.
/// </summary>
[Trait("Category", "Kernel")]
public sealed class UserNamespaceTests : IDisposable
{
    private const uint HostRoot = 100000;
    private static readonly string[] Map = ["0:100000:65536"];
    private readonly TestStore store = new();
    private readonly string host;

    public UserNamespaceTests()
    {
        host = Path.Combine(store.Root, "host");
        Directory.CreateDirectory(host);
    }

    public void Dispose()
    {
        store.Dispose();
        Assert.DoesNotContain(MountTable.Read(), m => m.MountPoint.StartsWith(store.Root, StringComparison.Ordinal));
    }

    private (ContainerInfo Container, string Output) Run(string name, string script, IReadOnlyList<ContainerMount>? mounts = null, string image = TestStore.Image)
    {
        store.Containers.Create(new ContainerSpec { Image = image, Name = name, Command = ["sh", "-c", script], Mounts = mounts, UidMap = Map });
        store.Containers.Start(name);
        var exited = store.Containers.Wait(name, TimeSpan.FromSeconds(60));
        return (exited, store.Output(name));
    }

    private static (uint Uid, uint Gid) OwnerOf(string path)
    {
        var fd = Libc.Open(path, Libc.O_PATH | Libc.O_NOFOLLOW | Libc.O_CLOEXEC, 0);
        Assert.True(fd >= 0, path);
        try
        {
            var metadata = FileStatus.Of(fd)!;
            return (metadata.Uid, metadata.Gid);
        }
        finally
        {
            Libc.Close(fd);
        }
    }

    [Fact]
    public void ItRunsAsRootInsideOnTheMappedRangeAndWritesItsRootfs()
    {
        var (container, output) = Run("userns", "id -u; id -g; cat /proc/self/uid_map /proc/self/gid_map | tr -s ' '; " +
            "stat -c '%u:%g' /bin/busybox /etc; echo written > /new-file; stat -c '%u:%g' /new-file");
        Assert.True(container.ExitCode == 0, output);
        Assert.Equal(["0", "0", " 0 100000 65536", " 0 100000 65536", "0:0", "0:0", "0:0"], output.Split('\n'));
        var upper = Path.Combine(container.Path, "upper");
        Assert.Equal((HostRoot, HostRoot), OwnerOf(Path.Combine(upper, "new-file")));
        Assert.Equal((HostRoot, HostRoot), OwnerOf(upper));
    }
}
