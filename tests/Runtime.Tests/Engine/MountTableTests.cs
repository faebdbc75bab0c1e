using Container.Runtime.Linux;
using Xunit;

namespace Container.Tests.Engine;

public sealed class MountTableTests
{
    [Fact]
    public void ReadsEachMountsPointTypeAndSuperOptions()
    {
        var mounts = MountTable.Read().ToList();

        Assert.Contains(mounts, m => m.MountPoint == "/proc" && m.FileSystemType == "proc");
        Assert.Contains(mounts, m => m.MountPoint == "/" && m.FileSystemType.Length > 0);
        // a super block's options are the last field: the read-write flag comes first in them
        Assert.All(mounts, m => Assert.Matches("^(rw|ro)", m.SuperOptions));
    }
}
