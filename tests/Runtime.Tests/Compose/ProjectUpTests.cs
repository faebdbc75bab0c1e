using Container.Runtime.Compose;
using Container.Runtime.Containers;
using Container.Runtime.Errors;
using Container.Tests.Fixtures;
using Container.Tests.Networks;
using Xunit;

namespace Container.Tests.Compose;

/// <summary>
/// A real-world compose file brought up, changed and taken down on the real driver, in a
/// network namespace that plays the host: a web server whose content a one-shot migration
/// writes into a named volume, in front of a "database" it waits for until healthy, published
/// on the host's port 8080.
/// </summary>
[Trait("Category", "Kernel")]
public sealed class ProjectUpTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("compose-up-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static string WebApp(string greeting) => $$"""
        name: shop
        services:
          web:
            image: {{TestStore.Image}}
            command: ["httpd", "-f", "-p", "80", "-h", "/srv"]
            environment:
              GREETING: {{greeting}}
            ports: ["127.0.0.1:8080:80"]
            volumes: ["content:/srv"]
            depends_on:
              db: { condition: service_healthy }
              migrate: { condition: service_completed_successfully }
          db:
            image: {{TestStore.Image}}
            command: sh -c 'touch /tmp/ready && exec sleep 100000'
            healthcheck:
              test: ["CMD", "test", "-f", "/tmp/ready"]
              interval: 1s
              retries: 30
          migrate:
            image: {{TestStore.Image}}
            command: ["sh", "-c", "echo migrated > /srv/index.html"]
            volumes: ["content:/srv"]
            depends_on: [db]
        volumes:
          content: {}
        """;

    private ComposeProject Load(string text)
    {
        File.WriteAllText(Path.Combine(directory, "compose.yaml"), text);
        return ComposeLoader.Load(new ComposeLoadOptions { Directory = directory, Environment = new Dictionary<string, string>() });
    }

    [SkippableFact]
    public void UpStartsInDependencyOrderAnswersOnItsPortLeavesWhatDidNotChangeAndDownRemovesIt()
    {
        using var host = KernelEngineHost.Create();
        var projects = host.Engine.Projects;
        var notes = new List<string>();
        var project = Load(WebApp("hello"));

        var up = projects.Up(project, new ProjectUpOptions { Wait = true }, notes.Add);
        Assert.Equal(["shop-db-1", "shop-migrate-1", "shop-web-1"], up.Select(c => c.Name));
        Assert.Contains("migrated", host.Get(8080));
        var web = up.Single(c => c.Name == "shop-web-1");
        Assert.Equal(("shop", "web", "1", project.Services["web"].ConfigHash),
            (web.Labels[ComposeLabels.Project], web.Labels[ComposeLabels.Service], web.Labels[ComposeLabels.ContainerNumber], web.Labels[ComposeLabels.ConfigHash]));
        Assert.Equal(["shop_default"], web.Networks.Select(n => n.Network));
        Assert.Equal(HealthStatus.Healthy, up.Single(c => c.Name == "shop-db-1").Health);
        Assert.Equal(0, up.Single(c => c.Name == "shop-migrate-1").ExitCode);
        // db first, then the migration it waits for, then the web server that waits for both
        Assert.True(notes.IndexOf("Create shop-db-1 (db)") < notes.IndexOf("Create shop-migrate-1 (migrate)"));
        Assert.True(notes.IndexOf("Create shop-migrate-1 (migrate)") < notes.IndexOf("Create shop-web-1 (web)"));

        // nothing changed: what runs is left running (the one-shot, done, runs again, as under docker compose)
        var again = projects.Plan(Load(WebApp("hello")));
        Assert.Equal([("db", ServiceActionKind.Keep), ("migrate", ServiceActionKind.Start), ("web", ServiceActionKind.Keep)],
            again.Actions.Select(a => (a.Service, a.Kind)));
        var same = projects.Up(Load(WebApp("hello")), new ProjectUpOptions { Wait = true }, notes.Add);
        Assert.Equal(up.Select(c => c.Id), same.Select(c => c.Id));

        // one service's environment changed: that one is made anew, and said why
        var changed = Load(WebApp("bonjour"));
        var plan = projects.Plan(changed);
        var recreate = Assert.Single(plan.Actions, a => a.Kind == ServiceActionKind.Recreate);
        Assert.Equal([("migrate", ServiceActionKind.Start), ("web", ServiceActionKind.Recreate)], plan.Changes.Select(a => (a.Service, a.Kind)));
        Assert.Equal("web", recreate.Service);
        Assert.Equal(["environment"], recreate.Changed);
        var after = projects.Up(changed, new ProjectUpOptions { Wait = true }, notes.Add);
        Assert.NotEqual(web.Id, after.Single(c => c.Name == "shop-web-1").Id);
        Assert.Equal(up.Single(c => c.Name == "shop-db-1").Id, after.Single(c => c.Name == "shop-db-1").Id);
        Assert.Contains("GREETING=bonjour", after.Single(c => c.Name == "shop-web-1").Environment);
        Assert.Contains("migrated", host.Get(8080));

        var listed = Assert.Single(projects.List());
        Assert.Equal(("shop", "running(2), exited(1)"), (listed.Name, listed.Status));

        projects.Down("shop", removeVolumes: false, notes.Add);
        Assert.Empty(host.Containers.List());
        Assert.DoesNotContain(host.Engine.Networks.List(), n => n.Name == "shop_default");
        Assert.Contains(host.Engine.Volumes.List(), v => v.Name == "shop_content");
        projects.Down("shop", removeVolumes: true, notes.Add);
        Assert.DoesNotContain(host.Engine.Volumes.List(), v => v.Name == "shop_content");
    }

    [SkippableFact]
    public void ADependencyThatFailsStopsUpBeforeItsDependantsAndNamesIt()
    {
        using var host = KernelEngineHost.Create();
        var project = Load($$"""
            name: broken
            services:
              migrate:
                image: {{TestStore.Image}}
                command: ["sh", "-c", "exit 3"]
                network_mode: none
              web:
                image: {{TestStore.Image}}
                command: ["sleep", "100000"]
                network_mode: none
                depends_on:
                  migrate: { condition: service_completed_successfully }
            """);
        var error = Assert.Throws<ContainerException>(() => host.Engine.Projects.Up(project, new ProjectUpOptions(), _ => { }));
        Assert.Equal(("ComposeDependencyFailed", ErrorKind.InvalidOperation), (error.ErrorId, error.Kind));
        Assert.Contains("broken-migrate-1", error.Message, StringComparison.Ordinal);
        Assert.Equal(["broken-migrate-1"], host.Engine.Projects.ContainersOf("broken").Select(c => c.Name));
    }
}
