using Container.Runtime.Compose;
using Xunit;

namespace Container.Tests.Compose;

/// <summary>extends (same file, another file), include, and profiles.</summary>
public sealed class ExtendsIncludeProfilesTests : IDisposable
{
    private readonly ComposeDirectory project = new();

    public void Dispose() => project.Dispose();

    [Fact]
    public void ExtendsAServiceOfTheSameFileMergingUnderIt()
    {
        var loaded = project.LoadYaml("""
            services:
              base:
                image: app
                environment: {A: 1, B: 2}
                ports: ["80"]
                command: [serve]
              middle:
                extends: base
                environment: {B: 3}
              web:
                extends: {service: middle}
                command: [debug]
                ports: ["81"]
            """);
        var web = loaded.Services["web"];

        Assert.Equal("app", web.Image);
        Assert.Equal(new Dictionary<string, string?> { ["A"] = "1", ["B"] = "3" }, web.Environment);
        Assert.Equal([80, 81], web.Ports.Select(p => p.Target));
        Assert.Equal(["debug"], web.Command!.Words);
        Assert.Equal("3", loaded.Services["middle"].Environment["B"]);
    }

    [Fact]
    public void ExtendsAServiceOfAnotherFileWithItsPathsRelativeToThatFile()
    {
        project.Write("common/base.yaml", """
            services:
              app:
                build: ./src
                env_file: app.env
                volumes: ["./data:/data"]
                extends: root
              root:
                image: root-image
                labels: [from=root]
            """);
        project.Write("common/app.env", "FROM_ENV_FILE=yes\n");
        var web = project.Service("""
            services:
              web:
                extends:
                  file: common/base.yaml
                  service: app
                labels: [own=1]
            """);
        var common = Path.Join(project.Path, "common");

        Assert.Equal(Path.Join(common, "src"), web.Build!.Context);
        Assert.Equal("yes", web.Environment["FROM_ENV_FILE"]);
        Assert.Equal(Path.Join(common, "data"), web.Volumes[0].Source);
        Assert.Equal("root-image", web.Image);
        Assert.Equal(new Dictionary<string, string> { ["from"] = "root", ["own"] = "1" }, web.Labels);
    }

    [Fact]
    public void ExtendsThatGoesRoundOrNamesNothingIsAnError()
    {
        Assert.Contains("extends makes a cycle", project.Error("services:\n  a: {image: x, extends: b}\n  b: {image: x, extends: a}\n").Message);
        Assert.Contains("cannot extend service 'nope'", project.Error("services:\n  a: {image: x, extends: nope}\n").Message);
    }

    [Fact]
    public void IncludeAddsAnotherProjectsResourcesWithItsOwnPathsAndEnvironment()
    {
        project.Write("db/compose.yaml", """
            services:
              db:
                image: postgres:${PG_VERSION}
                volumes: ["./init:/docker-entrypoint-initdb.d", "pgdata:/var/lib/postgresql/data"]
            volumes:
              pgdata:
            """);
        project.Write("db/.env", "PG_VERSION=16\n");
        var loaded = project.LoadYaml("""
            include:
              - db/compose.yaml
            services:
              web:
                image: app
                depends_on: [db]
            """);

        Assert.Equal(["db", "web"], loaded.Services.Keys);
        Assert.Equal("postgres:16", loaded.Services["db"].Image);
        Assert.Equal(Path.Join(project.Path, "db", "init"), loaded.Services["db"].Volumes[0].Source);
        Assert.Equal($"{loaded.Name}_pgdata", loaded.Volumes["pgdata"].Name);
        Assert.Contains(Path.Join(project.Path, "db", "compose.yaml"), loaded.Files);
    }

    [Fact]
    public void IncludeLongFormWithProjectDirectoryAndEnvFile()
    {
        project.Write("parts/cache.yaml", "services:\n  cache:\n    image: redis:${REDIS}\n    volumes: [\"./conf:/conf\"]\n");
        project.Write("parts/cache.env", "REDIS=7\n");
        var cache = project.LoadYaml("""
            include:
              - path: parts/cache.yaml
                project_directory: elsewhere
                env_file: parts/cache.env
            """).Services["cache"];

        Assert.Equal("redis:7", cache.Image);
        Assert.Equal(Path.Join(project.Path, "elsewhere", "conf"), cache.Volumes[0].Source);
    }

    [Fact]
    public void AnIncludedServiceThatConflictsIsAnError()
    {
        project.Write("other.yaml", "services:\n  web: {image: other}\n");
        Assert.Contains("conflicts", project.Error("include: [other.yaml]\nservices:\n  web: {image: mine}\n").Message);
        project.Write("loop.yaml", "include: [compose.yaml]\nservices:\n  x: {image: x}\n");
        Assert.Contains("include makes a cycle", project.Error("include: [loop.yaml]\nservices:\n  web: {image: mine}\n").Message);
    }

    private const string Profiled = """
        services:
          web: {image: app}
          debug: {image: tools, profiles: [dev]}
          seed: {image: seed, profiles: [dev, test]}
        """;

    [Fact]
    public void ServicesWithoutProfilesAreAlwaysOnOthersOnlyWhenAProfileIsActive()
    {
        project.Write("compose.yaml", Profiled);

        var none = project.Load(new ComposeLoadOptions());
        Assert.Equal(["web"], none.Services.Keys);
        Assert.Equal(["debug", "seed"], none.DisabledServices);
        Assert.Equal(["seed", "web"], project.Load(new ComposeLoadOptions { Profiles = ["test"] }).Services.Keys);
        Assert.Equal(["debug", "seed", "web"], project.Load(new ComposeLoadOptions { Profiles = ["dev"] }).Services.Keys);
        Assert.Equal(["debug", "seed", "web"], project.Load(new ComposeLoadOptions { Profiles = ["*"] }).Services.Keys);
        Assert.Equal(["seed", "web"], project.Load(new ComposeLoadOptions { Environment = new Dictionary<string, string> { ["COMPOSE_PROFILES"] = "test" } }).Services.Keys);
    }

    [Fact]
    public void ADependencyOnADisabledServiceIsAnError()
    {
        var error = project.Error("services:\n  web: {image: app, depends_on: [debug]}\n  debug: {image: tools, profiles: [dev]}\n");
        Assert.Contains("services.web: depends on service 'debug', which is disabled", error.Message);
    }
}
