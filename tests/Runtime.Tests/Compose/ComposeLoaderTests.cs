using Container.Runtime.Compose;
using Container.Runtime.Errors;
using Xunit;

namespace Container.Tests.Compose;

/// <summary>Which files a project is read from, its name, and the variables it is interpolated with.</summary>
public sealed class ComposeLoaderTests : IDisposable
{
    private readonly ComposeDirectory project = new();

    public void Dispose() => project.Dispose();

    private const string Web = "services:\n  web:\n    image: nginx\n";

    [Fact]
    public void ADirectoryIsLookedInForTheComposeFileInDockersOrder()
    {
        project.Write("docker-compose.yml", "services:\n  web:\n    image: from-docker-compose-yml\n");
        Assert.Equal("from-docker-compose-yml", project.Load(new ComposeLoadOptions()).Services["web"].Image);
        project.Write("docker-compose.yaml", "services:\n  web:\n    image: from-docker-compose-yaml\n");
        Assert.Equal("from-docker-compose-yaml", project.Load(new ComposeLoadOptions()).Services["web"].Image);
        project.Write("compose.yml", "services:\n  web:\n    image: from-compose-yml\n");
        Assert.Equal("from-compose-yml", project.Load(new ComposeLoadOptions()).Services["web"].Image);
        project.Write("compose.yaml", "services:\n  web:\n    image: from-compose-yaml\n");
        var loaded = project.Load(new ComposeLoadOptions());

        Assert.Equal("from-compose-yaml", loaded.Services["web"].Image);
        Assert.Equal([Path.Join(project.Path, "compose.yaml")], loaded.Files);
        Assert.Equal(project.Path, loaded.WorkingDirectory);
    }

    [Fact]
    public void ComposeFileNamesTheFilesWhenNoneAreGiven()
    {
        project.Write("a.yaml", Web);
        project.Write("b.yaml", "services:\n  web:\n    image: from-b\n");
        var environment = new Dictionary<string, string> { ["COMPOSE_FILE"] = "a.yaml;b.yaml", ["COMPOSE_PATH_SEPARATOR"] = ";" };

        var loaded = project.Load(new ComposeLoadOptions { Environment = environment });

        Assert.Equal("from-b", loaded.Services["web"].Image);
        Assert.Equal(2, loaded.Files.Count);
    }

    [Fact]
    public void TwoLoadsOfOneProjectAreEqualAndAChangeIsNot()
    {
        const string yaml = """
            services:
              web:
                image: nginx
                ports: ["8080:80"]
                networks: {front: {aliases: [www]}}
                healthcheck: {test: [CMD, true]}
                command: serve --port 80
            networks:
              front: {labels: [a=b], ipam: {config: [{subnet: 10.1.0.0/24}]}}
            """;
        project.Write("compose.yaml", yaml);
        var first = project.Load(new ComposeLoadOptions());
        var second = project.Load(new ComposeLoadOptions());
        project.Write("compose.yaml", yaml.Replace("www", "site"));
        var changed = project.Load(new ComposeLoadOptions());

        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
        Assert.NotEqual(first.Services["web"], changed.Services["web"]);
        Assert.Equal(first.Networks, changed.Networks);
    }

    [Fact]
    public void NoComposeFileIsAnError()
    {
        var error = Assert.Throws<ContainerException>(() => project.Load(new ComposeLoadOptions()));
        Assert.Equal("ComposeFileNotFound", error.ErrorId);
        Assert.Equal(ErrorKind.ObjectNotFound, error.Kind);
        Assert.Equal("ComposeFileNotFound", Assert.Throws<ContainerException>(() => project.Load("missing.yaml")).ErrorId);
    }

    [Fact]
    public void TheProjectNameIsGivenThenFromTheEnvironmentThenNameThenTheDirectory()
    {
        var dir = project.Write("My App.v2/compose.yaml", Web);
        var named = project.Write("named/compose.yaml", "name: ${PREFIX:-the}-Named\n" + Web);
        var env = new Dictionary<string, string> { ["X"] = "1" };
        project.Write("dotenv/.env", "COMPOSE_PROJECT_NAME=from-dotenv\n");
        var dotenv = project.Write("dotenv/compose.yaml", "name: ignored\n" + Web);

        Assert.Equal("myappv2", project.Load(new ComposeLoadOptions { Files = [dir], Environment = env }).Name);
        Assert.Equal("the-named", project.Load(new ComposeLoadOptions { Files = [named], Environment = env }).Name);
        Assert.Equal("from-dotenv", project.Load(new ComposeLoadOptions { Files = [dotenv], Environment = env }).Name);
        Assert.Equal("from-env", project.Load(new ComposeLoadOptions { Files = [dotenv], Environment = new Dictionary<string, string> { ["COMPOSE_PROJECT_NAME"] = "from-env" } }).Name);
        Assert.Equal("given_1", project.Load(new ComposeLoadOptions { Files = [dotenv], ProjectName = "given_1", Environment = env }).Name);
    }

    [Theory]
    [InlineData("Upper")]
    [InlineData("-leading")]
    [InlineData("has space")]
    [InlineData("dot.ted")]
    public void AnInvalidGivenNameIsAnError(string name)
    {
        project.Write("compose.yaml", Web);
        var error = Assert.Throws<ContainerException>(() => project.Load(new ComposeLoadOptions { ProjectName = name }));
        Assert.Equal("InvalidProjectName", error.ErrorId);
    }

    [Fact]
    public void TheComposeProjectNameVariableIsTheProjectsName()
    {
        var loaded = project.LoadYaml("name: demo\nservices:\n  web:\n    image: nginx\n    labels:\n      - project=${COMPOSE_PROJECT_NAME}\n");
        Assert.Equal("demo", loaded.Services["web"].Labels["project"]);
    }

    [Fact]
    public void ValuesAreInterpolatedFromDotEnvAndTheEnvironmentWins()
    {
        project.Write(".env", "TAG=from-dotenv\nPORT=8080\nexport REGISTRY=\"registry.local\"\n");
        var web = project.LoadYaml("""
            services:
              web:
                image: ${REGISTRY}/app:${TAG:-latest}
                ports: ["${PORT}:80"]
                environment:
                  $$LITERAL: "$$HOME"
                  ${TAG}: key-is-not-interpolated
            """, new Dictionary<string, string> { ["TAG"] = "from-env" }).Services["web"];

        Assert.Equal("registry.local/app:from-env", web.Image);
        Assert.Equal("8080", web.Ports[0].Published);
        Assert.Equal("$HOME", web.Environment["$$LITERAL"]);
        Assert.Equal("key-is-not-interpolated", web.Environment["${TAG}"]);
    }

    [Fact]
    public void EnvFilesReplaceTheProjectsDotEnv()
    {
        project.Write(".env", "TAG=dotenv\n");
        project.Write("prod.env", "TAG=prod\n");
        project.Write("compose.yaml", "services:\n  web:\n    image: app:${TAG}\n");

        Assert.Equal("app:prod", project.Load(new ComposeLoadOptions { EnvFiles = ["prod.env"] }).Services["web"].Image);
        Assert.Equal("PathNotFound", Assert.Throws<ContainerException>(() => project.Load(new ComposeLoadOptions { EnvFiles = ["nope.env"] })).ErrorId);
    }

    [Fact]
    public void ARequiredVariableNamesItselfItsMessageAndWhereItIs()
    {
        var error = project.Error("services:\n  web:\n    image: app:${TAG:?set TAG to the release}\n", "ComposeVariableRequired");

        Assert.Contains("services.web.image", error.Message);
        Assert.Contains("required variable TAG is missing a value: set TAG to the release", error.Message);
        Assert.Equal("TAG", error.Target);
    }

    [Fact]
    public void MalformedYamlNamesTheFileAndTheLine()
    {
        var error = project.Error("services:\n  web:\n    image: [unclosed\n");
        Assert.Contains("compose.yaml", error.Message);
        Assert.Contains("line", error.Message);
        Assert.Contains("compose.yaml: line 3: ", project.Error("services:\n  web: {image: a}\n  web: {image: b}\n").Message);
    }
}
