using Container.Runtime.Linux;
using Xunit;

namespace Container.Tests.Engine;

/// <summary>The engine's own mounts, made and undone without reading the host's mount table (as long as the containers running make it).</summary>
[Trait("Category", "Kernel")]
public sealed class MountsTests : IDisposable
{
    // a directory of the test's, not a mount point (whereas /tmp may be one)
    private readonly string parent = Directory.CreateTempSubdirectory("mounts-test-").FullName;
    private readonly string target;

    public MountsTests() => target = Directory.CreateDirectory(Path.Combine(parent, "target")).FullName;

    public void Dispose()
    {
        Mounts.Host.Unmount(target);
        Directory.Delete(parent, recursive: true);
    }

    private static bool InMountTable(string path) => MountTable.Read().Any(m => m.MountPoint == path);

    [SkippableFact]
    public void AMountPointIsToldAsTheMountTableTellsIt()
    {
        Skip.IfNot(Libc.Geteuid() == 0, "mounting needs root");
        Assert.False(Mounts.Host.IsMountPoint(target));
        Assert.Equal(0, Libc.Mount("tmpfs", target, "tmpfs", 0, "size=1m"));
        Assert.True(InMountTable(target));
        Assert.True(Mounts.Host.IsMountPoint(target));
        Assert.True(Mounts.Host.IsMountPoint(target + "/"));
        Assert.False(Mounts.Host.IsMountPoint(parent));
    }

    [SkippableFact]
    public void AnUnmountTakesEveryMountStackedThere()
    {
        Skip.IfNot(Libc.Geteuid() == 0, "mounting needs root");
        Assert.Equal(0, Libc.Mount("tmpfs", target, "tmpfs", 0, "size=1m"));
        Assert.Equal(0, Libc.Mount("tmpfs", target, "tmpfs", 0, "size=1m"));
        Mounts.Host.Unmount(target);
        Assert.False(InMountTable(target));
        Assert.False(Mounts.Host.IsMountPoint(target));
        Mounts.Host.Unmount(target); // nothing mounted is fine
        Mounts.Host.Unmount(Path.Combine(target, "missing"));
    }
}
