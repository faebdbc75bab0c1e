using System.Text.RegularExpressions;
using Container.Runtime.Compose;
using Container.Runtime.Processes;
using Container.Runtime.Text;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace Container.Tests.Compose;

/// <summary>
/// Realistic projects loaded by us and by Debian's docker-compose 1.29.2 (`docker-compose
/// config` prints its normalized model; no daemon needed), compared on what both agree on:
/// the services, their images, environment, ports, volumes, networks, depends_on conditions
/// and healthchecks. 1.29.2 is compose v1: where it differs from the current specification,
/// the specification is followed and the field left out of the comparison, as noted below.
/// </summary>
[Trait("Category", "Peers")]
public sealed partial class ComposePeerTests : IDisposable
{
    private static readonly string? DockerCompose = new[] { "/usr/bin/docker-compose", "/usr/local/bin/docker-compose" }.FirstOrDefault(File.Exists);

    private readonly ComposeDirectory project = new();

    public void Dispose() => project.Dispose();

    /// <summary>Files (the first ones are given with -f, in order), and the environment given.</summary>
    public sealed record Scenario(string Name, (string Path, string Text)[] Files, string[] Given, Dictionary<string, string> Environment)
    {
        public override string ToString() => Name;
    }

    // compose v1 knows no top-level name: (the project name is the directory's in both), nor
    // ${VAR:+alternative}; it refuses to extend a service with depends_on, and extends one of
    // another -f file without file: (the specification does not): the files here do none of it.
    private const string WebApp = """
        services:
          web:
            image: nginx:1.27
            ports: ["8080:80", "127.0.0.1:8443:443/tcp", "9000-9001:90-91"]
            environment:
              - MODE=prod
              - DB_HOST=db
            volumes: ["./html:/usr/share/nginx/html:ro", "cache:/var/cache/nginx"]
            depends_on:
              db: {condition: service_healthy}
              cache: {condition: service_started}
            networks: [front, back]
          db:
            image: postgres:16
            environment: {POSTGRES_USER: app, POSTGRES_DB: app}
            healthcheck:
              test: ["CMD-SHELL", "pg_isready -U app"]
              interval: 10s
              timeout: 5s
              retries: 5
              start_period: 1m30s
            volumes: ["pgdata:/var/lib/postgresql/data"]
            networks:
              back:
                aliases: [database]
          cache:
            image: redis:7
            command: redis-server --appendonly yes
            healthcheck:
              test: redis-cli ping
              interval: 5s
            networks: [back]
        volumes:
          pgdata:
          cache:
        networks:
          front:
          back:
            internal: true
        """;

    public static TheoryData<Scenario> Scenarios => new()
    {
        new Scenario("web app, database and cache", [("compose.yaml", WebApp)], ["compose.yaml"], []),
        new Scenario("a one-shot migration ordered by healthchecks", [("compose.yaml", """
            services:
              db:
                image: postgres:16
                healthcheck: {test: [CMD, pg_isready], interval: 2s, retries: 10}
              migrate:
                image: registry.example/app:2.1
                command: [manage, migrate, --noinput]
                restart: "no"
                depends_on:
                  db: {condition: service_healthy}
              app:
                image: registry.example/app:2.1
                ports: ["8000"]
                depends_on:
                  migrate: {condition: service_completed_successfully}
                  db: {condition: service_healthy}
            """)], ["compose.yaml"], []),
        new Scenario("two files merged", [("compose.yaml", WebApp), ("compose.override.yaml", """
            services:
              web:
                image: nginx:1.27-alpine
                ports: ["8080:80", "7000:70/udp"]
                environment:
                  MODE: debug
                  FROM_HOST:
                volumes: ["./override-html:/usr/share/nginx/html"]
                healthcheck:
                  test: ["CMD", "curl", "-f", "http://localhost"]
                  interval: 1m
              db:
                environment: [POSTGRES_PASSWORD=dev]
                networks: [front]
              worker:
                extends: {file: compose.yaml, service: cache}
                command: [work]
                healthcheck: {test: [CMD, work, --check]}
            """)], ["compose.yaml", "compose.override.yaml"], new() { ["FROM_HOST"] = "from the host" }),
        new Scenario(".env interpolation", [(".env", """
            # the release
            TAG=1.27
            export REGISTRY=registry.example
            DB_PASSWORD="s3cret \"quoted\""
            URL=postgres://app@db:${DB_PORT:-5432}/app
            OVERRIDDEN=from-dotenv
            """), ("compose.yaml", """
            services:
              web:
                image: ${REGISTRY}/web:${TAG}
                ports: ["${WEB_PORT:-8080}:80"]
                environment:
                  PASSWORD: ${DB_PASSWORD}
                  URL: $URL
                  OVERRIDDEN: ${OVERRIDDEN}
                  LITERAL: "$$HOME"
                  UNSET_DEFAULT: ${NOT_SET-fallback}
            """)], ["compose.yaml"], new() { ["OVERRIDDEN"] = "from-the-environment", ["WEB_PORT"] = "9090" }),
    };

    [SkippableTheory]
    [MemberData(nameof(Scenarios))]
    public void OurModelAgreesWithDockerComposeConfig(Scenario scenario)
    {
        Skip.If(DockerCompose == null, "docker-compose is not installed (apt-get install docker-compose)");
        foreach (var (path, text) in scenario.Files)
            project.Write(path, text);
        var ours = project.Load(new ComposeLoadOptions { Files = scenario.Given, Environment = scenario.Environment });
        var theirs = Theirs(scenario);

        var services = (YamlMappingNode)theirs["services"];
        Assert.Equal(services.Children.Keys.Select(k => k.ToString()).Order(StringComparer.Ordinal), ours.Services.Keys);
        foreach (var (key, node) in services.Children)
        {
            var name = key.ToString();
            var service = (YamlMappingNode)node;
            var our = ours.Services[name];
            Assert.Equal(Text(service, "image"), our.Image);
            Assert.Equal(Environment(service), our.Environment);
            Assert.Equal(Ports(service), our.Ports.Select(p => $"{p.HostIp}|{p.Published}|{p.Target}|{p.Protocol}").Order(StringComparer.Ordinal));
            Assert.Equal(Volumes(service), our.Volumes.Select(v => $"{v.Type}|{v.Source}|{v.Target}|{v.ReadOnly}").Order(StringComparer.Ordinal));
            // v1 leaves out the implicit default network; the specification (and we) name it
            if (Child(service, "networks") is YamlMappingNode networks)
                Assert.Equal(networks.Children.Keys.Select(k => k.ToString()).Order(StringComparer.Ordinal), our.Networks.Keys);
            else
                Assert.Equal(["default"], our.Networks.Keys);
            Assert.Equal(DependsOn(service), our.DependsOn.ToDictionary(d => d.Key, d => d.Value.Condition));
            CompareHealthchecks(Child(service, "healthcheck") as YamlMappingNode, our.Healthcheck);
        }
    }

    private YamlMappingNode Theirs(Scenario scenario)
    {
        var environment = scenario.Environment.Select(e => $"{e.Key}={e.Value}");
        var files = scenario.Given.SelectMany(f => new[] { "-f", Path.Join(project.Path, f) });
        var result = ProcessRunner.Run("env", ["-C", project.Path, "-i", "PATH=/usr/bin:/bin", $"HOME={project.Path}", .. environment, DockerCompose!, .. files, "config"],
            timeout: TimeSpan.FromMinutes(2));
        Assert.True(result.Succeeded, result.StandardError);
        var stream = new YamlStream();
        stream.Load(new StringReader(result.StandardOutput));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    private static string? Text(YamlMappingNode node, string key) => (Child(node, key) as YamlScalarNode)?.Value;

    /// <summary>config prints a file compose can read again, so a literal '$' as "$$".</summary>
    private static Dictionary<string, string?> Environment(YamlMappingNode service) =>
        Child(service, "environment") is YamlMappingNode environment
            ? environment.Children.ToDictionary(e => e.Key.ToString(), e => ((YamlScalarNode)e.Value).Value?.Replace("$$", "$"))
            : [];

    /// <summary>v1 prints a port as its long form, or as the short one when it has a host address.</summary>
    private static IEnumerable<string> Ports(YamlMappingNode service) =>
        (Child(service, "ports") as YamlSequenceNode)?.Children.Select(port => port switch
        {
            YamlMappingNode p => $"{Text(p, "host_ip")}|{Text(p, "published")}|{Text(p, "target")}|{Text(p, "protocol") ?? "tcp"}",
            _ => ShortPort().Match(port.ToString()) is { Success: true } m
                ? $"{m.Groups["ip"].Value}|{NullIfEmpty(m.Groups["published"].Value)}|{m.Groups["target"].Value}|{(m.Groups["protocol"].Success ? m.Groups["protocol"].Value : "tcp")}"
                : throw new InvalidDataException($"docker-compose printed the port '{port}'"),
        }).Order(StringComparer.Ordinal) ?? Enumerable.Empty<string>();

    [GeneratedRegex("^(?:(?<ip>[^:]+):)?(?:(?<published>[0-9-]*):)?(?<target>[0-9]+)(?:/(?<protocol>[a-z]+))?$")]
    private static partial Regex ShortPort();

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;

    /// <summary>v1 prints a volume as source:target:mode, a bind's source absolute.</summary>
    private static IEnumerable<string> Volumes(YamlMappingNode service) =>
        (Child(service, "volumes") as YamlSequenceNode)?.Children.Select(volume =>
        {
            var parts = volume.ToString().Split(':');
            if (parts.Length == 1)
                return $"Volume||{parts[0]}|False";
            var type = parts[0].StartsWith('/') ? VolumeType.Bind : VolumeType.Volume;
            return $"{type}|{parts[0]}|{parts[1]}|{parts.Length > 2 && parts[2].Split(',').Contains("ro")}";
        }).Order(StringComparer.Ordinal) ?? Enumerable.Empty<string>();

    /// <summary>v1 prints depends_on as a mapping of conditions (a list's entries as service_started).</summary>
    private static Dictionary<string, DependencyCondition> DependsOn(YamlMappingNode service) =>
        Child(service, "depends_on") is YamlMappingNode dependsOn
            ? dependsOn.Children.ToDictionary(d => d.Key.ToString(), d => Text((YamlMappingNode)d.Value, "condition") switch
            {
                "service_healthy" => DependencyCondition.ServiceHealthy,
                "service_completed_successfully" => DependencyCondition.ServiceCompletedSuccessfully,
                _ => DependencyCondition.ServiceStarted,
            })
            : [];

    private static void CompareHealthchecks(YamlMappingNode? theirs, ServiceHealthcheck? ours)
    {
        if (theirs == null)
        {
            Assert.Null(ours);
            return;
        }
        Assert.NotNull(ours);
        // v1 keeps a test written as a string as it is; the specification's form of it is CMD-SHELL
        var test = Child(theirs, "test") switch
        {
            YamlSequenceNode list => list.Children.Select(c => c.ToString()).ToList(),
            YamlScalarNode text => ["CMD-SHELL", text.Value!],
            _ => [],
        };
        Assert.Equal(test, ours.Test);
        Assert.Equal(Duration(theirs, "interval"), ours.Interval);
        Assert.Equal(Duration(theirs, "timeout"), ours.Timeout);
        Assert.Equal(Duration(theirs, "start_period"), ours.StartPeriod);
        Assert.Equal(Text(theirs, "retries") is { } retries ? int.Parse(retries) : null, ours.Retries);
    }

    private static TimeSpan? Duration(YamlMappingNode node, string key) =>
        Text(node, key) is { } text ? HumanDuration.TryParse(text, out var duration) ? duration : throw new InvalidDataException(text) : null;
}
