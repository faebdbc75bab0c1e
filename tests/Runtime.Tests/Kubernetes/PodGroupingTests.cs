using Container.Runtime.Containers;
using Container.Runtime.Kubernetes;
using Xunit;

namespace Container.Tests.Kubernetes;

/// <summary>A pod is one network namespace: the containers named, and those that share one with them.</summary>
public sealed class PodGroupingTests
{
    private static ContainerRecord Record(string id, string network = "bridge") => new() { Id = id, Name = "n" + id, NetworkMode = network };

    [Fact]
    public void ContainersSharingANetworkNamespaceJoinThePodOwnersFirst()
    {
        var (db, web, sidecar, other) = (Record("db"), Record("web", "container:db"), Record("side", "container:db"), Record("other"));
        var all = new[] { db, web, sidecar, other };
        Assert.Equal(["db", "web", "side"], PodGrouping.Members([web], all).Select(r => r.Id));
        Assert.Equal(["db", "web", "side"], PodGrouping.Members([db], all).Select(r => r.Id));
        Assert.Equal(["other", "db", "side", "web"], PodGrouping.Members([other, sidecar], all).Select(r => r.Id));
        Assert.Equal(["other"], PodGrouping.Members([other], all).Select(r => r.Id));
    }
}
