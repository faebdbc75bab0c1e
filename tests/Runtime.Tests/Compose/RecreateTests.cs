using Container.Runtime.Compose;
using Container.Runtime.Containers;
using Container.Runtime.Errors;
using Container.Tests.Fixtures;
using Container.Tests.Networks;
using Xunit;

namespace Container.Tests.Compose;

/// <summary>
/// A container made anew as docker compose makes it: the old one renamed out of the way, the new
/// one made under the name, and only then the old one removed, so a new one that cannot be made
/// leaves the service its old container, running; what an up that ended midway left is put right
/// by the next.
/// </summary>
public sealed class RecreateTests : IDisposable
{
    private readonly ComposeDirectory directory = new();

    public void Dispose() => directory.Dispose();

    private ComposeProject Load(string image, string greeting) => directory.LoadYaml($$"""
        name: remade
        services:
          app:
            image: {{image}}
            command: ["sleep", "100000"]
            environment: { GREETING: {{greeting}} }
            network_mode: none
        """);

    private static ContainerInfo Existing(ComposeService service, string name, string id, ContainerStatus status = ContainerStatus.Running) => new()
    {
        Id = id, Name = name, Image = "busybox", ImageId = "sha256:0", CommandLine = [], Created = DateTimeOffset.UnixEpoch, Status = status,
        Hostname = name, Environment = [], WorkingDirectory = "/", RestartPolicy = "no", Runtime = "crun", Path = "/", ObservedAt = DateTimeOffset.UnixEpoch,
        Labels = new Dictionary<string, string>
        {
            [ComposeLabels.Project] = "remade", [ComposeLabels.Service] = service.Name, [ComposeLabels.ContainerNumber] = "1",
            [ComposeLabels.ConfigHash] = service.ConfigHash,
        },
    };

    [Fact]
    public void WhatAnUpThatEndedMidwayLeftIsPutRightByThePlan()
    {
        var project = Load(TestStore.Image, "hello");
        var app = project.Services["app"];

        // the new one made, the old one (renamed) not yet removed: the old one goes, the new one is started
        var both = ProjectPlan.Of(project, [Existing(app, "0123456789ab_remade-app-1", "0123456789ab" + new string('0', 52)), Existing(app, "remade-app-1", new string('1', 64), ContainerStatus.Created)]);
        Assert.Equal([(ServiceActionKind.Remove, "0123456789ab_remade-app-1"), (ServiceActionKind.Start, "remade-app-1")],
            both.Actions.Select(a => (a.Kind, a.Container)));

        // renamed, and no new one made: it is made anew, under its name
        var renamed = Assert.Single(ProjectPlan.Of(project, [Existing(app, "0123456789ab_remade-app-1", "0123456789ab" + new string('0', 52))]).Actions);
        Assert.Equal((ServiceActionKind.Recreate, "0123456789ab_remade-app-1", "name"), (renamed.Kind, renamed.Container, string.Join(",", renamed.Changed)));
    }

    [Fact]
    [Trait("Category", "Kernel")]
    public void ANewContainerThatCannotBeMadeLeavesTheOldOneRunningUnderItsName()
    {
        using var store = new TestStore();
        var projects = store.Engine.Projects;
        var first = Assert.Single(projects.Up(Load(TestStore.Image, "hello"), new ProjectUpOptions(), _ => { }));

        // its image is not in the store: the new container cannot be made
        var error = Assert.Throws<ContainerException>(() => projects.Up(Load("busybox:not-here", "hello"), new ProjectUpOptions(), _ => { }));
        Assert.Equal("ImageNotFound", error.ErrorId);
        var kept = Assert.Single(projects.ContainersOf("remade"));
        Assert.Equal((first.Id, "remade-app-1", ContainerStatus.Running), (kept.Id, kept.Name, kept.Status));

        // one that can be: the new one under the name (and its hostname), the old one gone
        var notes = new List<string>();
        var remade = Assert.Single(projects.Up(Load(TestStore.Image, "bonjour"), new ProjectUpOptions(), notes.Add));
        Assert.Contains("Recreate remade-app-1 (app: environment changed)", notes);
        Assert.NotEqual(first.Id, remade.Id);
        Assert.Equal(("remade-app-1", "remade-app-1", ContainerStatus.Running), (remade.Name, remade.Hostname, remade.Status));
        Assert.Contains("GREETING=bonjour", remade.Environment);
        Assert.Equal([remade.Id], store.Containers.List().Select(c => c.Id));
        projects.Down("remade", removeVolumes: false, _ => { });
    }

    [SkippableFact]
    [Trait("Category", "Kernel")]
    public void AServiceWithAStaticAddressIsMadeAnewBesideItsOldContainerAndKeepsItsAddress()
    {
        using var host = KernelEngineHost.Create();
        var projects = host.Engine.Projects;
        ComposeProject Fixed(string greeting, string pinnedUser = "root") => directory.LoadYaml($$"""
            name: fixed
            services:
              pinned:
                image: {{TestStore.Image}}
                user: {{pinnedUser}}
                command: ["sleep", "100000"]
                environment: { GREETING: {{greeting}} }
                networks: { back: { ipv4_address: 172.31.250.5 } }
              side:
                image: {{TestStore.Image}}
                command: ["sleep", "100000"]
                environment: { GREETING: {{greeting}} }
                networks: { back: {}, front: { ipv4_address: 172.31.251.6 } }
              free:
                image: {{TestStore.Image}}
                command: ["sleep", "100000"]
                environment: { GREETING: {{greeting}} }
                networks: [back]
            networks:
              back: { ipam: { config: [{ subnet: 172.31.250.0/24 }] } }
              front: { ipam: { config: [{ subnet: 172.31.251.0/24 }] } }
            """);
        string AddressOn(ContainerInfo container, string network) => Assert.Single(container.Networks, n => n.Network == network).Address;
        var first = projects.Up(Fixed("hello"), new ProjectUpOptions(), _ => { }).ToDictionary(c => c.Name);

        // the new container got past its address (leased beside the old one's) to its user, which the image has not: the old one runs on, with its address
        Assert.Equal("UnknownUser", Assert.Throws<ContainerException>(() => projects.Up(Fixed("hello", "nobody-here"), new ProjectUpOptions(), _ => { })).ErrorId);
        var kept = host.Containers.Get("fixed-pinned-1");
        Assert.Equal((first["fixed-pinned-1"].Id, ContainerStatus.Running, "172.31.250.5"), (kept.Id, kept.Status, AddressOn(kept, "fixed_back")));

        var second = projects.Up(Fixed("bonjour"), new ProjectUpOptions(), _ => { }).ToDictionary(c => c.Name);

        Assert.Equal(["fixed-free-1", "fixed-pinned-1", "fixed-side-1"], second.Keys.Order(StringComparer.Ordinal));
        Assert.All(second.Values, c => Assert.Equal(ContainerStatus.Running, c.Status));
        Assert.All(second.Keys, name => Assert.NotEqual(first[name].Id, second[name].Id));
        Assert.Equal("172.31.250.5", AddressOn(second["fixed-pinned-1"], "fixed_back"));
        Assert.Equal("172.31.251.6", AddressOn(second["fixed-side-1"], "fixed_front"));
        // free's new container was made while the old one still held its address
        Assert.NotEqual(AddressOn(first["fixed-free-1"], "fixed_back"), AddressOn(second["fixed-free-1"], "fixed_back"));
        Assert.Equal(second.Values.Select(c => c.Id).Order(), host.Containers.List().Select(c => c.Id).Order());
        projects.Down("fixed", removeVolumes: false, _ => { });
    }
}
