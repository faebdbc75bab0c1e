using Container.Runtime.Cgroups;
using Xunit;

namespace Container.Tests.Engine;

/// <summary>The engine finds the host's cgroup v1 hierarchies without reading mountinfo, and where mountinfo says they are.</summary>
public sealed class CgroupHierarchyTests
{
    [SkippableFact]
    public void TheDefaultLayoutFindsEachControllerWhereTheMountTableHasIt()
    {
        Skip.If(File.Exists("/sys/fs/cgroup/cgroup.controllers"), "the host runs cgroup v2: it has no v1 hierarchies");
        var found = CgroupV1Hierarchy.DefaultMountPoints();
        Assert.NotNull(found);
        var mounted = CgroupV1Hierarchy.MountTableMountPoints();
        foreach (var controller in new[] { "memory", "pids", "cpuacct", "blkio", "freezer" })
            Assert.Equal(mounted[controller], found[controller]);
        Assert.All(found, pair => Assert.Equal(mounted[pair.Key], pair.Value));
    }
}
