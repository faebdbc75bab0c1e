using Container.Runtime.Compose;
using Xunit;

namespace Container.Tests.Compose;

/// <summary>Up starts the services of one level together: each level must come after every service it depends on or joins the network of.</summary>
public sealed class DependencyLevelsTests
{
    [Fact]
    public void ServicesThatDependOnNothingShareTheFirstLevelAndDependantsComeAfter()
    {
        using var directory = new ComposeDirectory();
        var project = directory.LoadYaml("""
            services:
              web: { image: busybox, depends_on: [db, cache] }
              db: { image: busybox }
              cache: { image: busybox }
              worker: { image: busybox, depends_on: { web: { condition: service_started } } }
            """);

        var levels = ProjectPlan.DependencyLevels(project);

        Assert.Equal([["cache", "db"], ["web"], ["worker"]], levels.Select(l => l.ToList()).ToList());
    }

    [Fact]
    public void AServiceInAnothersNetworkNamespaceStartsAfterItWithoutDependsOn()
    {
        using var directory = new ComposeDirectory();
        var project = directory.LoadYaml("""
            services:
              app: { image: busybox, network_mode: "service:zeta" }
              zeta: { image: busybox }
            """);

        var levels = ProjectPlan.DependencyLevels(project);

        Assert.Equal([["zeta"], ["app"]], levels.Select(l => l.ToList()).ToList());
    }
}
