using Container.Runtime.Compose;
using Container.Runtime.Containers;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Compose;

/// <summary>
/// Stop and down take a project's containers in reverse dependency order, as docker compose
/// does: a service's dependants stop before it, so none runs on without what it depends on;
/// the order comes from the containers' labels, since neither reads the compose file.
/// </summary>
public sealed class StopOrderTests : IDisposable
{
    private readonly ComposeDirectory directory = new();

    public void Dispose() => directory.Dispose();

    private static ContainerInfo Labelled(string service, string? dependsOn = null)
    {
        var labels = new Dictionary<string, string> { [ComposeLabels.Project] = "p", [ComposeLabels.Service] = service };
        if (dependsOn != null)
            labels[ComposeLabels.DependsOn] = dependsOn;
        return new ContainerInfo
        {
            Id = service + "-id", Name = $"p-{service}-1", Image = "busybox", ImageId = "sha256:0", CommandLine = [], Created = DateTimeOffset.UnixEpoch,
            Status = ContainerStatus.Running, Hostname = service, Environment = [], WorkingDirectory = "/", Labels = labels, RestartPolicy = "no",
            Runtime = "crun", Path = "/", ObservedAt = DateTimeOffset.UnixEpoch,
        };
    }

    [Fact]
    public void TheLabelsLevelsPutEachServiceAfterWhatItDependsOnAndPassOverAServiceWithNoContainer()
    {
        // app sorts first: only its labels put it after db and cache; gone has no container
        var containers = new[]
        {
            Labelled("app", "db:service_healthy:false,cache:service_started:true,gone:service_started:false"),
            Labelled("cache"), Labelled("db", "cache:service_started:false"), Labelled("worker"),
        };

        Assert.Equal([["p-cache-1", "p-worker-1"], ["p-db-1"], ["p-app-1"]],
            LabelledOrder.Levels(containers).Select(l => l.Select(c => c.Name).ToList()).ToList());
        Assert.Equal(["p-cache-1", "p-db-1", "p-app-1", "p-worker-1"], LabelledOrder.Of(containers).Select(c => c.Name));
    }

    [Fact]
    public void TheLabelsUpWritesGiveTheOrderAndLevelsTheFileGives()
    {
        // zeta joins alpha's network namespace: the loader makes that a dependency, so the labels say it too
        var project = directory.LoadYaml("""
            name: p
            services:
              zeta: { image: busybox, network_mode: "service:alpha" }
              alpha: { image: busybox, depends_on: [mid] }
              mid: { image: busybox, depends_on: { base: { condition: service_healthy } } }
              base: { image: busybox }
              lone: { image: busybox }
            """);
        var containers = project.Services.Values.Select(s => ServiceContainers.SpecOf(project, s, 1, other => $"p-{other}-1"))
            .Select(spec => Labelled(spec.Labels![ComposeLabels.Service], spec.Labels.GetValueOrDefault(ComposeLabels.DependsOn)))
            .OrderBy(c => c.Name, StringComparer.Ordinal).ToList();

        Assert.Equal([["base", "lone"], ["mid"], ["alpha"], ["zeta"]], ProjectPlan.DependencyLevels(project).Select(l => l.ToList()).ToList());
        Assert.Equal(ProjectPlan.DependencyLevels(project).Select(l => l.Select(s => $"p-{s}-1").ToList()).ToList(),
            LabelledOrder.Levels(containers).Select(l => l.Select(c => c.Name).ToList()).ToList());
        Assert.Equal(ProjectPlan.DependencyOrder(project).Select(s => $"p-{s}-1"), LabelledOrder.Of(containers).Select(c => c.Name));
    }

    /// <summary>A service that, told to stop, writes whether web (its dependant) had stopped by then.</summary>
    private static string Dependency(string name) => $$"""
          {{name}}:
            image: {{TestStore.Image}}
            command: ["sh", "-c", "trap 'if [ -e /shared/web-stopped ]; then echo after >> /shared/{{name}}-saw; else echo before >> /shared/{{name}}-saw; fi; exit 0' TERM; echo ready; while true; do sleep 0.05; done"]
            network_mode: none
            volumes: ["shared:/shared"]
        """;

    [Fact]
    [Trait("Category", "Kernel")]
    public void StopAndDownStopADependantBeforeWhatItDependsOnAndTheServicesOfOneLevelTogether()
    {
        using var store = new TestStore();
        var projects = store.Engine.Projects;
        // web takes a while to stop: were db and cache told to stop with it, they would see it still running
        var project = directory.LoadYaml($$"""
            name: stoporder
            services:
            {{Dependency("db")}}
            {{Dependency("cache")}}
              web:
                image: {{TestStore.Image}}
                command: ["sh", "-c", "rm -f /shared/web-stopped; trap 'sleep 1; touch /shared/web-stopped; exit 0' TERM; echo ready; while true; do sleep 0.05; done"]
                network_mode: none
                volumes: ["shared:/shared"]
                depends_on: [db, cache]
            volumes:
              shared: {}
            """);
        var shared = store.Engine.Volumes;
        string Saw(string service) => File.ReadAllText(Path.Combine(shared.DataPath("stoporder_shared"), service + "-saw"));
        void AwaitReady(int times)
        {
            var deadline = DateTime.UtcNow.AddMinutes(1);
            foreach (var name in new[] { "stoporder-db-1", "stoporder-cache-1", "stoporder-web-1" })
                while (store.Containers.ReadLog(name).Count(l => l.Text == "ready") < times)
                {
                    Assert.True(DateTime.UtcNow < deadline, $"{name} never set its trap");
                    Thread.Sleep(20);
                }
        }

        projects.Up(project, new ProjectUpOptions(), _ => { });
        AwaitReady(1);
        var stopped = projects.Stop("stoporder");
        Assert.Equal(["stoporder-cache-1", "stoporder-db-1", "stoporder-web-1"], stopped.Select(c => c.Name));
        Assert.All(stopped, c => Assert.Equal((ContainerStatus.Exited, 0), (c.Status, c.ExitCode)));
        Assert.Equal(("after\n", "after\n"), (Saw("db"), Saw("cache")));

        projects.Up(project, new ProjectUpOptions(), _ => { });
        AwaitReady(2);
        var notes = new List<string>();
        projects.Down("stoporder", removeVolumes: false, notes.Add);
        Assert.Empty(store.Containers.List());
        Assert.Equal(("after\nafter\n", "after\nafter\n"), (Saw("db"), Saw("cache")));
        Assert.Equal(["stoporder-cache-1: removed", "stoporder-db-1: removed", "stoporder-web-1: removed"], notes.Take(3));
        projects.Down("stoporder", removeVolumes: true, _ => { });
    }
}
