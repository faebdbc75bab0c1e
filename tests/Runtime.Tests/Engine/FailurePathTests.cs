using Container.Runtime;
using Container.Runtime.Containers;
using Container.Runtime.Errors;
using Container.Runtime.Oci;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Engine;

/// <summary>
/// The failure paths that only a kernel, a runtime or a monitor could produce, and rarely on
/// demand, made here by a host of fakes: each leaves the container as it says it is, with
/// nothing half-done (no mount, no run recorded, no half-removed directory). No root needed.
/// </summary>
public sealed class FailurePathTests : IDisposable
{
    private readonly FakeHostStore store = new();

    public void Dispose() => store.Dispose();

    [Fact]
    public void AMountThatFailsLeavesTheContainerCreatedAndNothingMounted()
    {
        store.Create("unmountable");
        store.Host.Mounts.NextMountFails = Errors.SystemCall("mount overlay on 'rootfs'", 22, "rootfs");

        var e = Assert.Throws<ContainerException>(() => store.Containers.Start("unmountable"));

        Assert.Equal("SystemCallFailed", e.ErrorId);
        AssertCreatedAndClean("unmountable");
        Assert.Equal(0, store.Host.Monitor.Starts);
        // and the next start is a start like any other
        Assert.Equal(ContainerStatus.Running, store.Containers.Start("unmountable").Status);
    }

    [Fact]
    public void AMonitorThatFailsAfterTheMountLeavesNothingMounted()
    {
        store.Create("unmonitored");
        store.Host.Monitor.NextStartFails = Errors.StartFailed("unmonitored", "the monitor exited without an answer");

        var e = Assert.Throws<ContainerException>(() => store.Containers.Start("unmonitored"));

        Assert.Equal("ContainerStartFailed", e.ErrorId);
        AssertCreatedAndClean("unmonitored");
        Assert.Equal(ContainerStatus.Running, store.Containers.Start("unmonitored").Status);
    }

    /// <summary>
    /// The real monitor, and a runtime that dies in create (or the create of a run) as a real one does (an error in its
    /// JSON log, exit 1): the start fails with the runtime's words and the exit code they mean,
    /// the container stays created (with that exit code when its command could not run, as
    /// docker records it), and nothing is left mounted or recorded as a run.
    /// </summary>
    [Theory]
    [InlineData("create: cannot clone the init: Operation not permitted", ExitCodes.ToolFailed)]
    [InlineData("exec: nope: executable file not found in $PATH", ExitCodes.NotFound)]
    public void ARuntimeThatDiesInCreateLeavesTheContainerCreated(string error, int exitCode)
    {
        using var real = new FakeHostStore((paths, fakes) => HostSeams.Of(paths) with { Mounts = fakes.Mounts, Cgroups = fakes.Cgroups, IsRoot = true });
        var runtime = Path.Combine(real.Root, "dies-in-create");
        File.WriteAllText(runtime, $$"""
            #!/bin/sh
            while [ $# -gt 0 ]; do
                case "$1" in
                    --log) log=$2; shift 2 ;;
                    --root|--log-format) shift 2 ;;
                    *) break ;;
                esac
            done
            [ "$1" = create ] || [ "$1" = run ] || exit 0
            echo '{"level":"error","msg":"{{error}}"}' >> "$log"
            exit 1
            """);
        File.SetUnixFileMode(runtime, (UnixFileMode)0b111_101_101);
        real.Containers.Create(new ContainerSpec { Image = FakeHostStore.Image, Name = "doomed", Command = ["true"], Runtime = runtime });

        var e = Assert.Throws<ContainerException>(() => real.Containers.Start("doomed"));

        Assert.Equal(("ContainerStartFailed", exitCode), (e.ErrorId, e.ExitCode));
        Assert.Contains(error, e.Message);
        var info = real.Containers.Get("doomed");
        Assert.Equal((ContainerStatus.Created, ExitCodes.IsCommandFailure(exitCode) ? exitCode : (int?)null), (info.Status, info.ExitCode));
        Assert.False(File.Exists(Path.Combine(info.Path, "run.json")));
        Assert.Empty(real.Host.Mounts.Mounted);
    }

    /// <summary>Running (killed first, as -Force asks) or exited, it stays whole: its record, its name, nothing moved to staging.</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ARemoveWhoseRuntimeDeleteFailsRemovesNothing(bool running)
    {
        var id = store.Create("doomed").Id;
        store.Containers.Start("doomed");
        if (!running)
            store.Host.Monitor.Exit(id, 0);
        store.Host.Runtime.Failures["delete"] = "cannot remove cgroup: device or resource busy";

        var e = Assert.Throws<ContainerException>(() => store.Containers.Remove("doomed", force: running));

        Assert.Equal("RuntimeFailed", e.ErrorId);
        Assert.Contains("device or resource busy", e.Message);
        var left = store.Containers.Get("doomed");
        Assert.Equal(ContainerStatus.Exited, left.Status);
        Assert.True(File.Exists(Path.Combine(left.Path, "container.json")));
        Assert.Equal(id, store.Containers.Resolve("doomed"));
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(store.Paths.StagingDir), p => p.Contains("removing"));
        // once the runtime lets go, it goes
        store.Host.Runtime.Failures.Clear();
        store.Containers.Remove("doomed", force: false);
        Assert.Empty(store.Containers.List());
        Assert.Empty(store.Host.Mounts.Mounted);
    }

    [Fact]
    public void AKillThatFindsTheProcessGoneMeanwhileIsAnExit()
    {
        store.Create("vanishing");
        store.Containers.Start("vanishing");
        // its init dies just before the signal comes, and the runtime says so
        store.Host.Runtime.OnKill = (id, _) => store.Host.Monitor.Exit(id, 0);
        store.Host.Runtime.Failures["kill"] = "container not running";

        var e = Assert.Throws<ContainerException>(() => store.Containers.Kill("vanishing", "TERM"));
        Assert.Equal("ContainerNotRunning", e.ErrorId);

        store.Create("stopping");
        store.Containers.Start("stopping");
        var stopped = store.Containers.Stop("stopping", TimeSpan.FromSeconds(10));
        Assert.Equal((ContainerStatus.Exited, 0), (stopped.Status, stopped.ExitCode));
        Assert.Empty(store.Host.Mounts.Mounted);
    }

    [Fact]
    public void AKillThatFindsTheInitDeadBeforeItsMonitorRecordedItIsNotAnError()
    {
        store.Create("between-runs");
        store.Containers.Start("between-runs");
        // its init has died; its monitor (about to restart it, or to record the exit) has not written yet
        store.Host.Monitor.InitDies(store.Containers.Get("between-runs").Id);
        store.Host.Runtime.OnKill = (_, _) => { };
        store.Host.Runtime.Failures["kill"] = "container not running";

        var e = Assert.Throws<ContainerException>(() => store.Containers.Kill("between-runs", "TERM"));

        Assert.Equal("ContainerNotRunning", e.ErrorId);
    }

    [Fact]
    public void AKillTheRuntimeRefusesWhileTheProcessLivesIsAnError()
    {
        store.Create("stubborn");
        store.Containers.Start("stubborn");
        store.Host.Runtime.OnKill = (_, _) => { };
        store.Host.Runtime.Failures["kill"] = "operation not permitted";

        var e = Assert.Throws<ContainerException>(() => store.Containers.Kill("stubborn", "TERM"));

        Assert.Equal("RuntimeFailed", e.ErrorId);
        Assert.Equal(ContainerStatus.Running, store.Containers.Get("stubborn").Status);
    }

    [Fact]
    public void ACgroupGoneWhileSampledLeavesItsContainerOut()
    {
        var gone = store.Create("gone").Id;
        store.Create("here");
        store.Containers.Start("gone");
        store.Containers.Start("here");
        // its init still seems alive, but its cgroup's files are gone (ENOENT): it is ending
        store.Host.Cgroups.Gone.Add(BundleBuilder.CgroupPath(gone));

        Assert.Equal(["here"], store.Containers.StatsOfRunning().Select(s => s.Name));
        Assert.Equal("ContainerNotRunning", Assert.Throws<ContainerException>(() => store.Containers.Stats("gone")).ErrorId);
        Assert.Equal("here", store.Containers.Stats("here").Name);
    }

    [Fact]
    public void APauseTheKernelRefusesIsAnErrorAndTheContainerRunsOn()
    {
        store.Create("unfreezable");
        store.Containers.Start("unfreezable");
        store.Host.Runtime.Failures["pause"] = "cannot freeze the cgroup: device or resource busy";

        var e = Assert.Throws<ContainerException>(() => store.Containers.Pause("unfreezable", pause: true));

        Assert.Equal(("RuntimeFailed", (object?)"unfreezable"), (e.ErrorId, e.Target));
        Assert.Equal(ContainerStatus.Running, store.Containers.Get("unfreezable").Status);
        store.Host.Runtime.Failures.Clear();
        Assert.Equal(ContainerStatus.Paused, store.Containers.Pause("unfreezable", pause: true).Status);
        Assert.Equal(ContainerStatus.Running, store.Containers.Pause("unfreezable", pause: false).Status);
    }

    [Fact]
    public async Task AStartUnderWayIsStartingUntilItsMonitorAnswers()
    {
        var record = new ContainerStore(store.Paths);
        var observer = new ContainerObserver(record, store.Host.Seams);
        var id = store.Create("slow").Id;
        ContainerStatus Now() => observer.Observe(id, record.TryRead(id)!).Status;
        var seen = new List<ContainerStatus>();
        Task<ContainerInfo>? shown = null;
        Exception? waited = null;
        // the starter holds it (mounting), then its monitor does (not yet recorded)
        store.Host.Mounts.WhileMounting = _ => seen.Add(Now());
        store.Host.Monitor.WhileStarting = _ =>
        {
            seen.Add(Now());
            // another session waiting for the container's exit does not take it for never started
            waited = Record.Exception(() => store.Containers.Wait("slow", TimeSpan.FromMilliseconds(300)));
            // and one that asks how it is gets the start's answer
            shown = Task.Run(() => store.Containers.Get("slow"));
        };

        var started = store.Containers.Start("slow");

        Assert.Equal([ContainerStatus.Starting, ContainerStatus.Starting], seen);
        Assert.Equal("OperationTimeout", Assert.IsType<ContainerException>(waited).ErrorId);
        Assert.Equal(ContainerStatus.Running, started.Status);
        Assert.Equal(ContainerStatus.Running, (await shown!).Status);
    }

    [Fact]
    public void ARunDetachedWhoseStartFailsIsRemovedOnlyWhenItWasToBeRemoved()
    {
        store.Host.Monitor.NextStartFails = Errors.StartFailed("rm", "the runtime failed");
        Assert.Throws<ContainerException>(() => store.Containers.RunDetached(Spec("rm", autoRemove: true)));
        Assert.Empty(store.Containers.List());
        Assert.False(File.Exists(Path.Combine(store.Paths.NamesDir, "rm")));

        store.Host.Monitor.NextStartFails = Errors.StartFailed("kept", "the runtime failed");
        Assert.Throws<ContainerException>(() => store.Containers.RunDetached(Spec("kept", autoRemove: false)));
        Assert.Equal(ContainerStatus.Created, store.Containers.Get("kept").Status);

        Assert.Equal(ContainerStatus.Running, store.Containers.RunDetached(Spec("runs", autoRemove: true)).Status);
    }

    private static ContainerSpec Spec(string name, bool autoRemove) =>
        new() { Image = FakeHostStore.Image, Name = name, Command = ["true"], AutoRemove = autoRemove };

    /// <summary>Created as before the start: no run or exit recorded, nothing mounted, no start under way.</summary>
    private void AssertCreatedAndClean(string name)
    {
        var info = store.Containers.Get(name);
        Assert.Equal((ContainerStatus.Created, (int?)null), (info.Status, info.ExitCode));
        Assert.False(File.Exists(Path.Combine(info.Path, "run.json")));
        Assert.False(File.Exists(Path.Combine(info.Path, "exit.json")));
        Assert.Empty(store.Host.Mounts.Mounted);
    }
}
