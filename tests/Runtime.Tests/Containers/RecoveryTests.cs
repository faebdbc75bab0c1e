using System.Diagnostics;
using Container.Runtime.Containers;
using Container.Runtime.Oci;
using Container.Tests.Conformance;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Containers;

/// <summary>
/// Containers whose run root (the runtimes' state) was deleted under them, or whose init and
/// monitor were killed from outside: every command still acts on them, and remove leaves
/// nothing, in any cgroup hierarchy, under each runtime.
/// </summary>
[Trait("Category", "Kernel")]
public sealed class RecoveryTests : IDisposable
{
    private readonly TestStore store = new();

    public void Dispose() => store.Dispose();

    private const string TrapsTerm = "trap 'exit 3' TERM; touch /ready; while true; do sleep 0.05; done";

    private ContainerInfo StartReady(string name, string runtime)
    {
        store.Containers.Create(new ContainerSpec { Image = TestStore.Image, Name = name, Command = ["sh", "-c", TrapsTerm], Runtime = Oci.Path(runtime) });
        return StartAgain(name);
    }

    /// <summary>Starts the container and waits until it has set its trap.</summary>
    private ContainerInfo StartAgain(string name)
    {
        var ready = Path.Combine(store.Containers.Get(name).Path, "upper", "ready");
        File.Delete(ready);
        var container = store.Containers.Start(name);
        WaitUntil(() => File.Exists(ready), $"{name} never got ready");
        return container;
    }

    private static void WaitUntil(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, what);
            Thread.Sleep(10);
        }
    }

    /// <summary>The container's cgroup directories left in any hierarchy: every v1 controller's, the v2 tree.</summary>
    private static List<string> CgroupsLeft(string id) =>
        File.ReadLines("/proc/self/mountinfo")
            .Select(line => (Fields: line.Split(' '), Type: line[(line.IndexOf(" - ", StringComparison.Ordinal) + 3)..].Split(' ')[0]))
            .Where(m => m.Type is "cgroup" or "cgroup2")
            .Select(m => Path.Combine(m.Fields[4], "container", id))
            .Where(Directory.Exists).ToList();

    private void AssertNothingLeft(ContainerInfo container, string runtime)
    {
        Assert.Empty(CgroupsLeft(container.Id));
        Assert.DoesNotContain(File.ReadLines("/proc/self/mountinfo"), line => line.Contains(container.Id));
        Assert.False(Directory.Exists(Path.Combine(store.Paths.RuntimeStateDir(Path.GetFileName(Oci.Path(runtime))), container.Id)), $"{runtime} state is left");
    }

    private void DeleteRunRoot() => Directory.Delete(store.Paths.RunRoot, recursive: true);

    [Theory]
    [InlineData(Oci.Ours)]
    [InlineData(Oci.Runc)]
    [InlineData(Oci.Crun)]
    public void EveryCommandActsOnALiveContainerWhoseRunRootIsGone(string runtime)
    {
        var container = StartReady("lost", runtime);
        DeleteRunRoot();
        Assert.Equal(ContainerStatus.Running, store.Containers.Get("lost").Status);

        var lines = new List<string>();
        Assert.Equal(0, store.Containers.Exec("lost", new ExecSpec { Command = ["echo", "still-here"] }, (_, line) => lines.Add(line)));
        Assert.Equal(["still-here"], lines);
        Assert.Equal(ContainerStatus.Paused, store.Containers.Pause("lost", pause: true).Status);
        Assert.Equal(ContainerStatus.Running, store.Containers.Pause("lost", pause: false).Status);
        DeleteRunRoot();
        Assert.Equal(3, store.Containers.Stop("lost", TimeSpan.FromSeconds(10)).ExitCode);
        // the monitor deleted it through the runtime, its state put back
        Assert.Empty(CgroupsLeft(container.Id));

        StartAgain("lost");
        DeleteRunRoot();
        store.Containers.Remove("lost", force: true);
        AssertNothingLeft(container, runtime);
    }

    [Theory]
    [InlineData(Oci.Ours, true)]
    [InlineData(Oci.Ours, false)]
    [InlineData(Oci.Runc, true)]
    [InlineData(Oci.Crun, true)]
    public void AnInitAndMonitorKilledFromOutsideAreCleanedByTheNextCommand(string runtime, bool runRootDeleted)
    {
        var container = StartReady("killed", runtime);
        var run = Container.Runtime.Json.ReadFile<RunRecord>(Path.Combine(container.Path, "run.json"));
        if (runRootDeleted)
            DeleteRunRoot();
        Process.GetProcessById(run.MonitorPid).Kill();
        Process.GetProcessById(run.Pid).Kill();
        WaitUntil(() => store.Containers.Get("killed").Status == ContainerStatus.Exited, "the killed container still runs");
        Assert.NotEmpty(CgroupsLeft(container.Id)); // what nobody cleaned yet

        store.Containers.Stop("killed", TimeSpan.FromSeconds(10));
        AssertNothingLeft(container, runtime);
        store.Containers.Remove("killed", force: false);
    }

    [Fact]
    public void AKilledMonitorsRunIsCleanedWhenItIsStopped()
    {
        var container = StartReady("orphan", Oci.Ours);
        var run = Container.Runtime.Json.ReadFile<RunRecord>(Path.Combine(container.Path, "run.json"));
        Process.GetProcessById(run.MonitorPid).Kill();
        DeleteRunRoot();
        // through the runtime, whose state was put back; how it ended, nobody saw
        Assert.Equal(ContainerStatus.Exited, store.Containers.Stop("orphan", TimeSpan.FromSeconds(10)).Status);
        AssertNothingLeft(container, Oci.Ours);
    }
}
