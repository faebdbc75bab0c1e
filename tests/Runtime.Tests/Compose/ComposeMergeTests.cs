using Container.Runtime.Compose;
using Xunit;

namespace Container.Tests.Compose;

/// <summary>Several files merged (docker compose -f a -f b) by the specification's rules, and !reset and !override.</summary>
public sealed class ComposeMergeTests : IDisposable
{
    private readonly ComposeDirectory project = new();

    public void Dispose() => project.Dispose();

    private ComposeService Merged(string baseFields, string overrideFields)
    {
        project.Write("compose.yaml", "services:\n  web:\n" + Indent(baseFields) + "volumes:\n  data:\n  other:\n");
        project.Write("override.yaml", "services:\n  web:\n" + Indent(overrideFields));
        return project.Load("compose.yaml", "override.yaml").Services["web"];
    }

    private static string Indent(string text) => string.Join('\n', text.Split('\n').Select(l => "    " + l)) + "\n";

    [Fact]
    public void ScalarsAreReplacedMappingsMergedRecursivelyAndNothingKeepsWhatWasThere()
    {
        var web = Merged("image: app:1\nrestart: always\nhealthcheck:\n  test: [CMD, a]\n  interval: 10s\n  retries: 3",
                         "image: app:2\nrestart:\nhealthcheck:\n  test: [CMD, b, c]\n  retries: 5");

        Assert.Equal("app:2", web.Image);
        Assert.Equal("always", web.Restart);
        Assert.Equal(["CMD", "b", "c"], web.Healthcheck!.Test);
        Assert.Equal(TimeSpan.FromSeconds(10), web.Healthcheck.Interval);
        Assert.Equal(5, web.Healthcheck.Retries);
    }

    [Fact]
    public void CommandAndEntrypointAreReplacedNotAppended()
    {
        var web = Merged("image: app\ncommand: [serve, --port, \"80\"]\nentrypoint: [/init]", "command: [debug]\nentrypoint: /bin/sh -c");

        Assert.Equal(["debug"], web.Command!.Words);
        Assert.Equal(["/bin/sh", "-c"], web.Entrypoint!.Words);
    }

    [Fact]
    public void EnvironmentAndLabelsAreMergedByKeyWhateverFormEachFileUses()
    {
        var web = Merged("image: app\nenvironment: [A=1, B=2]\nlabels: {x: '1', y: '2'}", "environment: {B: 3, C: 4}\nlabels: [y=3]");

        Assert.Equal(new Dictionary<string, string?> { ["A"] = "1", ["B"] = "3", ["C"] = "4" }, web.Environment);
        Assert.Equal(new Dictionary<string, string> { ["x"] = "1", ["y"] = "3" }, web.Labels);
    }

    [Fact]
    public void PortsAndExposeAreAppendedAndKeptUnique()
    {
        var web = Merged("image: app\nports: [\"8080:80\", \"443:443\"]\nexpose: [\"3000\"]", "ports: [\"8080:80\", \"9090:90\"]\nexpose: [\"3000\", \"4000\"]");

        Assert.Equal(["8080", "443", "9090"], web.Ports.Select(p => p.Published));
        Assert.Equal(["3000", "4000"], web.Expose);
    }

    [Fact]
    public void VolumesAreMergedByTarget()
    {
        var web = Merged("image: app\nvolumes: [\"data:/data\", \"./a:/a\"]", "volumes: [\"other:/data:ro\", \"/cache\"]");

        Assert.Equal(["/data", "/a", "/cache"], web.Volumes.Select(v => v.Target));
        Assert.Equal(("other", true), (web.Volumes[0].Source, web.Volumes[0].ReadOnly));
    }

    [Fact]
    public void SecretsDnsCapabilitiesAndDependsOnAreMerged()
    {
        project.Write("compose.yaml", """
            services:
              db: {image: db}
              cache: {image: cache}
              web:
                image: app
                secrets: [a]
                dns: [1.1.1.1]
                cap_add: [NET_ADMIN]
                depends_on: [db]
                networks: [front]
            secrets:
              a: {file: ./a}
              b: {file: ./b}
            networks:
              front:
              back:
            """);
        project.Write("override.yaml", """
            services:
              web:
                secrets: [a, {source: b, target: bee}]
                dns: [8.8.8.8, 1.1.1.1]
                cap_add: [NET_ADMIN, SYS_TIME]
                depends_on:
                  cache: {condition: service_healthy}
                networks:
                  back: {aliases: [api]}
            """);
        var web = project.Load("compose.yaml", "override.yaml").Services["web"];

        Assert.Equal(["/run/secrets/a", "/run/secrets/bee"], web.Secrets.Select(s => s.Target));
        Assert.Equal(["1.1.1.1", "8.8.8.8"], web.Dns);
        Assert.Equal(["NET_ADMIN", "SYS_TIME"], web.CapAdd);
        Assert.Equal(new Dictionary<string, ServiceDependency>
        {
            ["cache"] = new(DependencyCondition.ServiceHealthy, false, true),
            ["db"] = new(DependencyCondition.ServiceStarted, false, true),
        }, web.DependsOn);
        Assert.Equal(["back", "front"], web.Networks.Keys);
        Assert.Equal(["api"], web.Networks["back"].Aliases);
    }

    [Fact]
    public void BuildsShortFormMergesWithALongOne()
    {
        var web = Merged("build: ./app", "build:\n  dockerfile: Dockerfile.dev\n  args: [MODE=dev]");

        Assert.Equal(Path.Join(project.Path, "app"), web.Build!.Context);
        Assert.Equal("Dockerfile.dev", web.Build.Dockerfile);
        Assert.Equal("dev", web.Build.Args["MODE"]);
    }

    [Fact]
    public void ResetRemovesAFieldAndOverrideReplacesItWhole()
    {
        var web = Merged("image: app\nports: [\"80:80\"]\nenvironment: {A: 1, B: 2}\ncommand: serve",
                         "ports: !reset []\nenvironment: !override {C: 3}\ncommand: !reset null");

        Assert.Empty(web.Ports);
        Assert.Equal(new Dictionary<string, string?> { ["C"] = "3" }, web.Environment);
        Assert.Null(web.Command);
    }

    [Fact]
    public void AnOverrideFileCanAddServicesAndResources()
    {
        project.Write("compose.yaml", "services:\n  web: {image: app}\n");
        project.Write("more.yaml", "services:\n  worker: {image: app, volumes: [\"jobs:/jobs\"]}\nvolumes:\n  jobs:\n");
        var loaded = project.Load("compose.yaml", "more.yaml");

        Assert.Equal(["web", "worker"], loaded.Services.Keys);
        Assert.Equal(["jobs"], loaded.Volumes.Keys);
        Assert.Equal([Path.Join(project.Path, "compose.yaml"), Path.Join(project.Path, "more.yaml")], loaded.Files);
    }

    [Fact]
    public void AValueOfAnotherKindCannotOverride()
    {
        project.Write("compose.yaml", "services:\n  web: {image: app, ulimits: {nofile: 1024}, healthcheck: {test: [CMD, x]}}\n");
        project.Write("bad.yaml", "services:\n  web: {healthcheck: [CMD, y]}\n");
        var error = Assert.Throws<Container.Runtime.Errors.ContainerException>(() => project.Load("compose.yaml", "bad.yaml"));
        Assert.Contains("bad.yaml: services.web.healthcheck: cannot override a mapping with a list", error.Message);
    }
}
