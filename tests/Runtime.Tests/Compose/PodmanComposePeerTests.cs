using System.Text.Json;
using Container.Runtime.Compose;
using Container.Runtime.Containers;
using Container.Runtime.Images;
using Container.Tests.Networks;
using Xunit;

namespace Container.Tests.Compose;

/// <summary>
/// One compose file (a web server in front of a database and a cache, two named volumes,
/// environment, a published port) brought up by Debian's podman-compose 1.0.3 and by ours,
/// each in a network namespace that plays the host (podman-compose cannot run network_mode:
/// none, PodmanComposeHost says why), then compared: containers' names, compose labels,
/// environment, volumes and their mounts, networks and aliases, what the published port
/// serves; then both taken down. Where podman-compose differs from docker compose (whose
/// behaviour ours follows), the difference is asserted as podman-compose's, with its reason.
/// </summary>
[Trait("Category", "Peers")]
public sealed class PodmanComposePeerTests : IDisposable
{
    private const string ProjectName = "shop";

    // each service's shell ends on SIGTERM (a shell as pid 1 has no default action for it),
    // so that both downs are a stop, not a wait for the kill after the timeout
    private const string Compose = $$"""
        services:
          web:
            image: {{PodmanComposeHost.Image}}
            command: ["sh", "-c", "trap 'exit 0' TERM; echo \"$$GREETING from web\" > /srv/index.html; httpd -f -p 80 -h /srv & wait"]
            environment:
              GREETING: hello
              DB_HOST: db
            ports: ["127.0.0.1:8080:80"]
            volumes: ["content:/srv"]
            depends_on: [db, cache]
          db:
            image: {{PodmanComposeHost.Image}}
            command: ["sh", "-c", "trap 'exit 0' TERM; sleep 100000 & wait"]
            environment: [POSTGRES_DB=app, POSTGRES_PASSWORD=secret]
            volumes: ["data:/var/lib/db"]
          cache:
            image: {{PodmanComposeHost.Image}}
            command: ["sh", "-c", "trap 'exit 0' TERM; sleep 100000 & wait"]
            environment:
              MAXMEMORY: 64mb
        volumes:
          content: {}
          data: {}
        """;

    private static readonly string[] Services = ["cache", "db", "web"];

    private readonly ComposeDirectory directory = new();

    public void Dispose() => directory.Dispose();

    /// <summary>What both sides made of one service's container, as comparable text.</summary>
    private sealed record Made(string Name, IReadOnlyDictionary<string, string> Labels, IReadOnlyDictionary<string, string> Environment,
        IReadOnlyList<string> Mounts, IReadOnlyList<string> Networks, IReadOnlyList<string> Aliases);

    [SkippableFact]
    public void TheSameFileUnderPodmanComposeAndOursMakesTheSameContainersVolumesNetworksAndPort()
    {
        Skip.If(PodmanComposeHost.Unavailable != null, PodmanComposeHost.Unavailable);
        directory.Write("compose.yaml", Compose);
        using var podman = new PodmanComposeHost();
        using var ours = KernelEngineHost.Create();
        ours.Engine.Images.Tag(Fixtures.TestStore.Image, ImageReference.Parse(PodmanComposeHost.Image));
        var project = directory.Load(new ComposeLoadOptions { ProjectName = ProjectName });

        PodmanComposeHost.Succeeded(podman.Compose(directory.Path, "-p", ProjectName, "up", "-d"));
        var up = ours.Engine.Projects.Up(project, new ProjectUpOptions(), _ => { });

        var theirs = Services.ToDictionary(s => s, s => Theirs(podman, s));
        var our = Services.ToDictionary(s => s, s => Ours(up.Single(c => c.Labels[ComposeLabels.Service] == s)));
        foreach (var service in Services)
        {
            var (t, o) = (theirs[service], our[service]);
            // podman-compose 1.0.3 names containers as compose v1 did, <project>_<service>_<n>;
            // docker compose v2, and ours, with '-'
            Assert.Equal($"{ProjectName}-{service}-1", o.Name);
            Assert.Equal($"{ProjectName}_{service}_1", t.Name);
            foreach (var label in new[] { ComposeLabels.Project, ComposeLabels.Service, ComposeLabels.ContainerNumber, ComposeLabels.WorkingDirectory })
                Assert.Equal(t.Labels[label], o.Labels[label]);
            Assert.Equal((ProjectName, service, "1"), (o.Labels[ComposeLabels.Project], o.Labels[ComposeLabels.Service], o.Labels[ComposeLabels.ContainerNumber]));
            // docker compose v2 (and ours) write the files' absolute paths; podman-compose 1.0.3 writes them as given, relative to the project
            Assert.Equal(Path.Join(directory.Path, "compose.yaml"), o.Labels[ComposeLabels.ConfigFiles]);
            Assert.Equal("compose.yaml", t.Labels[ComposeLabels.ConfigFiles]);

            var declared = project.Services[service].Environment;
            foreach (var (name, value) in declared)
                Assert.Equal((name, value), (name, (string?)t.Environment[name]));
            foreach (var (name, value) in declared)
                Assert.Equal((name, value), (name, (string?)o.Environment[name]));
            // what each adds beyond the file's: both PATH (the image has none); podman its own
            // container=podman, TERM=xterm, HOME and HOSTNAME (ours, as docker: HOME and HOSTNAME
            // are the process's at its start, not the container's configuration)
            Assert.Equal(["PATH"], o.Environment.Keys.Except(declared.Keys).Order(StringComparer.Ordinal));
            Assert.Equal(["HOME", "HOSTNAME", "PATH", "TERM", "container"], t.Environment.Keys.Except(declared.Keys).Order(StringComparer.Ordinal));
            Assert.Equal(t.Environment["PATH"], o.Environment["PATH"]);

            Assert.Equal(t.Mounts, o.Mounts);
            Assert.Equal(t.Networks, o.Networks);
            Assert.Equal([$"{ProjectName}_default"], o.Networks);
            // podman-compose gives each container its service's name as its one alias; ours, as docker compose, the service's and the container's
            Assert.Equal([service], t.Aliases);
            Assert.Contains(service, o.Aliases);
        }
        Assert.Equal(["shop_content", "shop_data"], TheirVolumes(podman));
        Assert.Equal(TheirVolumes(podman), OurVolumes(ours));
        Assert.Equal(["shop_default"], TheirNetworks(podman));
        Assert.Equal(TheirNetworks(podman), OurNetworks(ours));
        Assert.Equal("hello from web\n", podman.HttpGet(8080));
        // ours' reader gives the whole response, headers and all
        Assert.EndsWith("\r\n\r\nhello from web\n", ours.Get(8080));

        // down: the containers go, the volumes stay, on both
        PodmanComposeHost.Succeeded(podman.Compose(directory.Path, "-p", ProjectName, "down"));
        ours.Engine.Projects.Down(ProjectName, removeVolumes: false, _ => { });
        Assert.Equal("", PodmanComposeHost.Succeeded(podman.Podman("ps", "--all", "--quiet")));
        Assert.Empty(ours.Containers.List());
        Assert.Equal(["shop_content", "shop_data"], TheirVolumes(podman));
        Assert.Equal(TheirVolumes(podman), OurVolumes(ours));
        // docker compose's down removes the project's networks, and ours does; podman-compose 1.0.3's leaves them
        Assert.Empty(OurNetworks(ours));
        Assert.Equal(["shop_default"], TheirNetworks(podman));

        // down with volumes: those go too
        PodmanComposeHost.Succeeded(podman.Compose(directory.Path, "-p", ProjectName, "down", "--volumes"));
        ours.Engine.Projects.Down(ProjectName, removeVolumes: true, _ => { });
        Assert.Empty(TheirVolumes(podman));
        Assert.Empty(OurVolumes(ours));
    }

    private static Made Theirs(PodmanComposeHost podman, string service)
    {
        var id = PodmanComposeHost.Succeeded(podman.Podman("ps", "--quiet", "--filter", $"label={ComposeLabels.Service}={service}",
            "--filter", $"label={ComposeLabels.Project}={ProjectName}", "--filter", "status=running")).Trim();
        using var inspected = JsonDocument.Parse(PodmanComposeHost.Succeeded(podman.Podman("inspect", id)));
        var container = inspected.RootElement[0];
        var networks = container.GetProperty("NetworkSettings").GetProperty("Networks");
        return new Made(
            container.GetProperty("Name").GetString()!,
            container.GetProperty("Config").GetProperty("Labels").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!),
            Variables(container.GetProperty("Config").GetProperty("Env").EnumerateArray().Select(e => e.GetString()!)),
            container.GetProperty("Mounts").EnumerateArray().Select(m => $"{m.GetProperty("Type").GetString()}|{m.GetProperty("Name").GetString()}|{m.GetProperty("Destination").GetString()}")
                .Order(StringComparer.Ordinal).ToList(),
            networks.EnumerateObject().Select(n => n.Name).Order(StringComparer.Ordinal).ToList(),
            networks.EnumerateObject().SelectMany(n => n.Value.GetProperty("Aliases").EnumerateArray().Select(a => a.GetString()!))
                .Where(a => !id.StartsWith(a, StringComparison.Ordinal)).ToList());
    }

    private static Made Ours(ContainerInfo container) => new(
        container.Name,
        container.Labels,
        Variables(container.Environment),
        container.Mounts.Select(m => $"{m.Type.ToString().ToLowerInvariant()}|{m.Source}|{m.Target}").Order(StringComparer.Ordinal).ToList(),
        container.Networks.Select(n => n.Network).Order(StringComparer.Ordinal).ToList(),
        container.Networks.SelectMany(n => n.Aliases).ToList());

    private static Dictionary<string, string> Variables(IEnumerable<string> environment) =>
        environment.Select(e => e.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);

    private static List<string> TheirVolumes(PodmanComposeHost podman) =>
        Lines(podman.Podman("volume", "ls", "--filter", $"label={ComposeLabels.Project}={ProjectName}", "--format", "{{.Name}}"));

    private static List<string> OurVolumes(KernelEngineHost ours) =>
        ours.Engine.Volumes.List().Where(v => v.Labels.GetValueOrDefault(ComposeLabels.Project) == ProjectName).Select(v => v.Name).Order(StringComparer.Ordinal).ToList();

    private static List<string> TheirNetworks(PodmanComposeHost podman) =>
        Lines(podman.Podman("network", "ls", "--filter", $"label={ComposeLabels.Project}={ProjectName}", "--format", "{{.Name}}"));

    private static List<string> OurNetworks(KernelEngineHost ours) =>
        ours.Engine.Networks.List().Where(n => n.Labels.GetValueOrDefault(ComposeLabels.Project) == ProjectName).Select(n => n.Name).Order(StringComparer.Ordinal).ToList();

    private static List<string> Lines(Runtime.Processes.ProcessResult result) =>
        PodmanComposeHost.Succeeded(result).Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToList();
}
