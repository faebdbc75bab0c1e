using Container.Runtime.Compose;
using Container.Runtime.Containers;
using Container.Tests.Fixtures;
using Container.Tests.Networks;
using Xunit;

namespace Container.Tests.Compose;

/// <summary>A project's build, restart, stop grace, lock, the anonymous volumes a container made anew keeps, and the recreation of a volume whose configuration changed, on the real driver.</summary>
[Trait("Category", "Kernel")]
public sealed class ProjectLifecycleTests : IDisposable
{
    private readonly ComposeDirectory directory = new();

    public void Dispose() => directory.Dispose();

    private static string Notes(string tier) => $$"""
        name: notes
        services:
          app:
            image: {{TestStore.Image}}
            command: ["sleep", "100000"]
            network_mode: none
            volumes: ["data:/data"]
        volumes:
          data: { labels: { tier: {{tier}} } }
        """;

    [SkippableFact]
    public void AVolumeWhoseLabelsChangedIsKeptUnlessItsRecreationIsAgreedToAndThenItsUsersAreMadeAnew()
    {
        using var host = KernelEngineHost.Create();
        var projects = host.Engine.Projects;
        var first = Assert.Single(projects.Up(directory.LoadYaml(Notes("a")), new ProjectUpOptions(), _ => { }));
        File.WriteAllText(Path.Combine(host.Engine.Volumes.DataPath("notes_data"), "kept"), "data");

        var changed = directory.LoadYaml(Notes("b"));
        var action = Assert.Single(projects.PlanVolumes(changed));
        Assert.Equal(VolumeActionKind.Recreate, action.Kind);
        Assert.Equal(["labels"], action.Changed);
        Assert.Equal(["notes-app-1"], action.Users);

        // not agreed to: the volume and its data stay, and so does the container that did not change
        var notes = new List<string>();
        var kept = Assert.Single(projects.Up(changed, new ProjectUpOptions(), notes.Add));
        Assert.Equal(first.Id, kept.Id);
        Assert.Contains(action.Kept, notes);
        Assert.True(File.Exists(Path.Combine(host.Engine.Volumes.DataPath("notes_data"), "kept")));

        var remade = Assert.Single(projects.Up(changed, new ProjectUpOptions { RecreateVolumes = new HashSet<string> { "data" } }, _ => { }));
        Assert.NotEqual(first.Id, remade.Id);
        Assert.Equal(ContainerStatus.Running, remade.Status);
        var volume = host.Engine.Volumes.Get("notes_data");
        Assert.Equal(("b", "notes"), (volume.Labels["tier"], volume.Labels[ComposeLabels.Project]));
        Assert.False(File.Exists(Path.Combine(host.Engine.Volumes.DataPath("notes_data"), "kept")));
        Assert.Equal(VolumeActionKind.Keep, Assert.Single(projects.PlanVolumes(changed)).Kind);

        projects.Down("notes", removeVolumes: true, _ => { });
        Assert.Empty(host.Engine.Volumes.List());
    }

    [SkippableFact]
    public void AContainerMadeAnewKeepsTheAnonymousVolumesOfTheOneItReplacesAndDownWithVolumesRemovesThem()
    {
        using var host = KernelEngineHost.Create();
        directory.Write("db/Dockerfile", $"FROM {TestStore.Image}\nVOLUME /db\n");
        string Keeping(string greeting) => $$"""
            name: keeping
            services:
              db:
                build: { context: ./db, network: none }
                command: ["sleep", "100000"]
                environment: { GREETING: {{greeting}} }
                network_mode: none
              app:
                image: {{TestStore.Image}}
                command: ["sleep", "100000"]
                environment: { GREETING: {{greeting}} }
                network_mode: none
                volumes: ["/data"]
            """;
        var projects = host.Engine.Projects;
        var first = projects.Up(directory.LoadYaml(Keeping("hello")), new ProjectUpOptions(), _ => { }).ToDictionary(c => c.Name);
        string VolumeAt(ContainerInfo container, string target) =>
            Assert.Single(container.Mounts, m => m.Target == target) is { Type: Runtime.Volumes.MountType.Volume, Anonymous: true, Source: { } name } ? name
                : throw new Xunit.Sdk.XunitException($"{container.Name}: {target} is not an anonymous volume");
        File.WriteAllText(Path.Combine(host.Engine.Volumes.DataPath(VolumeAt(first["keeping-db-1"], "/db")), "rows"), "kept");
        File.WriteAllText(Path.Combine(host.Engine.Volumes.DataPath(VolumeAt(first["keeping-app-1"], "/data")), "notes"), "kept");

        var second = projects.Up(directory.LoadYaml(Keeping("bonjour")), new ProjectUpOptions(), _ => { }).ToDictionary(c => c.Name);
        Assert.NotEqual(first["keeping-db-1"].Id, second["keeping-db-1"].Id);
        Assert.NotEqual(first["keeping-app-1"].Id, second["keeping-app-1"].Id);
        Assert.Equal(VolumeAt(first["keeping-db-1"], "/db"), VolumeAt(second["keeping-db-1"], "/db"));
        Assert.Equal(VolumeAt(first["keeping-app-1"], "/data"), VolumeAt(second["keeping-app-1"], "/data"));
        Assert.Equal("kept", File.ReadAllText(Path.Combine(host.Engine.Volumes.DataPath(VolumeAt(second["keeping-db-1"], "/db")), "rows")));
        Assert.Equal("kept", File.ReadAllText(Path.Combine(host.Engine.Volumes.DataPath(VolumeAt(second["keeping-app-1"], "/data")), "notes")));

        projects.Down("keeping", removeVolumes: true, _ => { });
        Assert.Empty(host.Engine.Volumes.List());
    }

    [SkippableFact]
    public void BuildMakesTheServicesImageUpRunsAndRestartStartsEachContainerAgain()
    {
        using var host = KernelEngineHost.Create();
        directory.Write("app/Dockerfile", $"FROM {TestStore.Image}\nRUN echo built > /built\n");
        var project = directory.LoadYaml("""
            name: made
            services:
              app:
                build: { context: ./app, network: none }
                command: ["sh", "-c", "cat /built && exec sleep 100000"]
                network_mode: none
            """);
        var projects = host.Engine.Projects;

        var image = Assert.Single(projects.Build(project, services: null, noCache: false, _ => { }));
        Assert.Equal("made-app", image.Repository);

        var running = Assert.Single(projects.Up(project, new ProjectUpOptions(), _ => { }));
        Assert.Equal(image.Id, running.ImageId);
        host.WaitUntil(() => host.Containers.ReadLog(running.Id).Any(l => l.Text == "built"), "the service to print what its build wrote");

        var restarted = Assert.Single(projects.Restart("made"));
        Assert.Equal((running.Id, ContainerStatus.Running), (restarted.Id, restarted.Status));
        Assert.True(restarted.StartedAt > running.StartedAt, "restart starts the container again");
        projects.Down("made", removeVolumes: false, _ => { });
    }

    [SkippableFact]
    public void StopAndDownWaitEachServicesStopGracePeriod()
    {
        using var host = KernelEngineHost.Create();
        var project = directory.LoadYaml($$"""
            name: graceful
            services:
              app:
                image: {{TestStore.Image}}
                command: ["sh", "-c", "trap 'echo got-term' TERM; echo ready; while true; do sleep 0.05; done"]
                network_mode: none
                stop_grace_period: 1s
            """);
        var projects = host.Engine.Projects;
        var running = Assert.Single(projects.Up(project, new ProjectUpOptions(), _ => { }));
        host.WaitUntil(() => host.Containers.ReadLog(running.Id).Any(l => l.Text == "ready"), "the service to set its trap");

        // stop reads no compose file: the container holds its grace, and is killed after it, not after 10 s
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var stopped = Assert.Single(projects.Stop("graceful"));
        Assert.Equal(137, stopped.ExitCode);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(9));
        Assert.Contains(host.Containers.ReadLog(running.Id), l => l.Text == "got-term");
        projects.Down("graceful", removeVolumes: false, _ => { });
    }

    [SkippableFact]
    public void AnUpWaitsForAnotherSessionsWorkOnItsProjectAndCtrlCEndsTheWait()
    {
        using var host = KernelEngineHost.Create();
        var project = directory.LoadYaml($$"""
            name: shared
            services:
              app:
                image: {{TestStore.Image}}
                command: ["sleep", "100000"]
                network_mode: none
            """);
        var projects = host.Engine.Projects;
        var waiting = new ManualResetEventSlim();
        IReadOnlyList<ContainerInfo>? made = null;
        Exception? failed = null;
        var other = Runtime.Compose.ProjectLock.Acquire(host.Engine.Paths, "shared");
        var up = new Thread(() =>
        {
            try
            {
                made = projects.Up(project, new ProjectUpOptions(), note =>
                {
                    if (note.StartsWith("waiting for another session", StringComparison.Ordinal))
                        waiting.Set();
                });
            }
            catch (Exception e)
            {
                failed = e;
            }
        });
        up.Start();
        try
        {
            Assert.True(waiting.Wait(TimeSpan.FromMinutes(1)), "up never said it waits");
            // while the other session holds the project, up has made nothing
            Assert.Empty(projects.ContainersOf("shared"));
            Assert.DoesNotContain(host.Engine.Networks.List(), n => n.Name.StartsWith("shared", StringComparison.Ordinal));

            // Ctrl+C while it waits ends the wait
            using (var cancel = new CancellationTokenSource())
            {
                cancel.Cancel();
                Assert.ThrowsAny<OperationCanceledException>(() => projects.Restart("shared", cancellation: cancel.Token));
            }
        }
        finally
        {
            // a failed assertion must not leave up waiting on the lock for ever
            other.Dispose();
        }

        Assert.True(up.Join(TimeSpan.FromMinutes(3)), "up never went on once the lock was free");
        Assert.Null(failed);
        Assert.Equal(ContainerStatus.Running, Assert.Single(made!).Status);
        projects.Down("shared", removeVolumes: false, _ => { });
    }

    [SkippableFact]
    public void TwoUpsOfOneProjectAtOnceMakeEachServiceOnce()
    {
        using var host = KernelEngineHost.Create();
        var project = directory.LoadYaml($$"""
            name: raced
            services:
              web: { image: {{TestStore.Image}}, command: ["sleep", "100000"], network_mode: none }
              worker: { image: {{TestStore.Image}}, command: ["sleep", "100000"], network_mode: none }
            """);
        var projects = host.Engine.Projects;
        var results = new IReadOnlyList<ContainerInfo>[2];
        Parallel.For(0, 2, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i => results[i] = projects.Up(project, new ProjectUpOptions(), _ => { }));
        // the second found what the first made, and kept it
        Assert.Equal(results[0].Select(c => c.Id).Order(), results[1].Select(c => c.Id).Order());
        Assert.Equal(["raced-web-1", "raced-worker-1"], projects.ContainersOf("raced").Select(c => c.Name));
        projects.Down("raced", removeVolumes: false, _ => { });
    }
}
