using Container.Runtime.Compose;
using Container.Runtime.Containers;
using Container.Runtime.Errors;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Compose;

/// <summary>
/// A service's ipc: and pid: (host, private, shareable, service:NAME, container:NAME): read and
/// checked by the loader, a service:NAME made a dependency, and on the real driver a service in
/// another's PID namespace, one in the host's IPC namespace, and a change of either made anew.
/// </summary>
public sealed class ServiceNamespaceTests : IDisposable
{
    private readonly ComposeDirectory directory = new();

    public void Dispose() => directory.Dispose();

    private ComposeProject Load(string appFields, string sideCommand = "100001") => directory.LoadYaml($$"""
        name: nsmodes
        services:
          app:
            image: {{TestStore.Image}}
            command: ["sleep", "100000"]
            network_mode: none
        {{string.Join('\n', appFields.Split('\n').Select(l => "    " + l))}}
          side:
            image: {{TestStore.Image}}
            command: ["sleep", "{{sideCommand}}"]
            network_mode: none
        """);

    [Fact]
    public void EveryModeOfTheSpecificationIsReadAndAServiceOneIsADependencyThatRestartsItsJoiner()
    {
        Assert.Equal(("host", "host"), (Load("ipc: host\npid: host").Services["app"].Ipc, Load("ipc: host\npid: host").Services["app"].Pid));
        Assert.Equal("shareable", Load("ipc: shareable").Services["app"].Ipc);
        Assert.Equal(("private", "private"), (Load("ipc: private\npid: private").Services["app"].Ipc, Load("ipc: private\npid: private").Services["app"].Pid));
        Assert.Equal("container:other", Load("pid: container:other").Services["app"].Pid);

        // app sorts first, so only the dependency puts side before it
        var project = Load("pid: service:side\nipc: service:side");
        Assert.Equal(("service:side", "service:side"), (project.Services["app"].Pid, project.Services["app"].Ipc));
        Assert.Equal(new ServiceDependency(DependencyCondition.ServiceStarted, true, true), project.Services["app"].DependsOn["side"]);
        Assert.Equal(["side", "app"], ProjectPlan.DependencyOrder(project));

        // one the file writes keeps its condition, and restarts with what it joins
        var written = Load("pid: service:side\ndepends_on:\n  side: {condition: service_healthy}");
        Assert.Equal(new ServiceDependency(DependencyCondition.ServiceHealthy, true, true), written.Services["app"].DependsOn["side"]);
    }

    [Fact]
    public void ABadModeOrAnUndefinedServiceIsAnErrorOfTheLoad()
    {
        Assert.Contains("services.app.pid: invalid mode 'bogus': host, private, service:<name> or container:<name>",
            Assert.Throws<ContainerException>(() => Load("pid: bogus")).Message);
        // shareable is IPC's alone
        Assert.Contains("services.app.pid: invalid mode 'shareable'", Assert.Throws<ContainerException>(() => Load("pid: shareable")).Message);
        Assert.Contains("services.app.ipc: invalid mode 'service:'", Assert.Throws<ContainerException>(() => Load("ipc: 'service:'")).Message);
        Assert.Contains("services.app: pid uses service 'nobody', which is not defined", Assert.Throws<ContainerException>(() => Load("pid: service:nobody")).Message);
        Assert.Contains("services.app: ipc names the service itself", Assert.Throws<ContainerException>(() => Load("ipc: service:app")).Message);
        var cycle = Assert.Throws<ContainerException>(() => directory.LoadYaml("""
            services:
              a: {image: x, pid: service:b}
              b: {image: x, ipc: service:a}
            """));
        Assert.Equal("ComposeFileInvalid", cycle.ErrorId);
        Assert.Contains("makes a cycle", cycle.Message);
    }

    [Fact]
    public void TheSpecJoinsTheFirstContainerOfTheServiceAndPassesTheRestAsWritten()
    {
        var project = Load("pid: service:side\nipc: host");
        var spec = ServiceContainers.SpecOf(project, project.Services["app"], 1, service => $"nsmodes-{service}-1");
        Assert.Equal(("host", "container:nsmodes-side-1"), (spec.Ipc, spec.Pid));
        var plain = ServiceContainers.SpecOf(project, project.Services["side"], 1, _ => throw new InvalidOperationException("side joins nothing"));
        Assert.Null(plain.Ipc);
        Assert.Null(plain.Pid);
    }

    private static List<string> Exec(TestStore store, string container, string script)
    {
        var lines = new List<string>();
        Assert.Equal(0, store.Containers.Exec(container, new ExecSpec { Command = ["sh", "-c", script] }, (_, line) => lines.Add(line)));
        return lines;
    }

    private static string Link(string path) => Runtime.Processes.ProcessRunner.Run("readlink", [path]).StandardOutput.Trim();

    [Fact]
    [Trait("Category", "Kernel")]
    public void AServiceInAnothersPidNamespaceSeesItsProcessesAndAChangeOfIpcOrOfWhatItJoinsMakesItAnew()
    {
        using var store = new TestStore();
        var projects = store.Engine.Projects;
        var notes = new List<string>();

        var up = projects.Up(Load("pid: service:side\nipc: host"), new ProjectUpOptions(), notes.Add);
        var (sideNote, appNote) = (notes.IndexOf("Create nsmodes-side-1 (side)"), notes.IndexOf("Create nsmodes-app-1 (app)"));
        Assert.True(sideNote >= 0 && appNote > sideNote, string.Join("\n", notes));
        var app = up.Single(c => c.Name == "nsmodes-app-1");
        var side = up.Single(c => c.Name == "nsmodes-side-1");
        Assert.Equal(("host", "container:" + side.Id), (app.IpcMode, app.PidMode));
        Assert.Contains(Exec(store, app.Name, "ps -o args"), line => line.Contains("sleep 100001"));
        Assert.Equal([Link("/proc/self/ns/ipc"), Link($"/proc/{side.Pid}/ns/pid")], Exec(store, app.Name, "readlink /proc/self/ns/ipc; readlink /proc/self/ns/pid"));
        // one namespace: side sees app's too
        Assert.Contains(Exec(store, side.Name, "ps -o args"), line => line.Contains("sleep 100000"));

        // ipc changed: app is made anew, and -WhatIf's line says why; side is kept
        var privateIpc = Load("pid: service:side\nipc: private");
        var plan = projects.Plan(privateIpc);
        var recreate = Assert.Single(plan.Changes);
        Assert.Equal(("app", ServiceActionKind.Recreate, "Recreate nsmodes-app-1 (app: ipc changed)"), (recreate.Service, recreate.Kind, recreate.ToString()));
        var after = projects.Up(privateIpc, new ProjectUpOptions(), notes.Add);
        var remade = after.Single(c => c.Name == "nsmodes-app-1");
        Assert.NotEqual(app.Id, remade.Id);
        Assert.Equal(side.Id, after.Single(c => c.Name == "nsmodes-side-1").Id);
        Assert.Equal(NamespaceModes.Private, remade.IpcMode);
        Assert.NotEqual(Link("/proc/self/ns/ipc"), Assert.Single(Exec(store, remade.Name, "readlink /proc/self/ns/ipc")));

        // pid changed: named as such
        Assert.Equal(["pid"], Assert.Single(projects.Plan(Load("pid: host\nipc: private")).Changes).Changed);

        // the service it joins made anew: app is too, joined to the new one
        var newSide = Load("pid: service:side\nipc: private", sideCommand: "100002");
        Assert.Equal([("side", "command"), ("app", "depends_on.side (made anew)")],
            projects.Plan(newSide).Changes.Select(a => (a.Service, string.Join(",", a.Changed))));
        var third = projects.Up(newSide, new ProjectUpOptions(), notes.Add);
        var thirdSide = third.Single(c => c.Name == "nsmodes-side-1");
        Assert.Equal("container:" + thirdSide.Id, third.Single(c => c.Name == "nsmodes-app-1").PidMode);
        Assert.Contains(Exec(store, "nsmodes-app-1", "ps -o args"), line => line.Contains("sleep 100002"));

        // restart: side first (its PID namespace's end ends app's processes), then app, in side's new one
        Assert.Equal(["nsmodes-side-1", "nsmodes-app-1"], projects.Restart("nsmodes", TimeSpan.Zero).Select(c => c.Name));
        var restarted = store.Containers.Get("nsmodes-app-1");
        Assert.Equal(ContainerStatus.Running, restarted.Status);
        Assert.Equal(Link($"/proc/{store.Containers.Get("nsmodes-side-1").Pid}/ns/pid"), Assert.Single(Exec(store, restarted.Name, "readlink /proc/self/ns/pid")));
        Assert.Equal(["nsmodes-side-1", "nsmodes-app-1"], projects.Stop("nsmodes", TimeSpan.Zero).Select(c => c.Name));

        projects.Down("nsmodes", removeVolumes: false, notes.Add);
        Assert.Empty(store.Containers.List());
    }

    [Fact]
    [Trait("Category", "Kernel")]
    public void AContainerThatIsNotThereStopsUpBeforeAnythingIsMade()
    {
        using var store = new TestStore();
        var error = Assert.Throws<ContainerException>(() => store.Engine.Projects.Up(Load("pid: container:nobody"), new ProjectUpOptions(), _ => { }));
        Assert.Equal(("ContainerNotFound", ErrorKind.ObjectNotFound), (error.ErrorId, error.Kind));
        Assert.Contains("services.app.pid: container:nobody names no container", error.Message);
        Assert.Empty(store.Containers.List());

        // one that is there is joined
        store.Containers.Create(new ContainerSpec { Image = TestStore.Image, Name = "outside", Command = ["sleep", "100003"] });
        store.Containers.Start("outside");
        store.Engine.Projects.Up(Load("pid: container:outside"), new ProjectUpOptions(), _ => { });
        Assert.Contains(Exec(store, "nsmodes-app-1", "ps -o args"), line => line.Contains("sleep 100003"));
        store.Engine.Projects.Down("nsmodes", removeVolumes: false, _ => { });
    }
}
