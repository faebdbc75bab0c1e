using System.Diagnostics;
using Container.Runtime.Containers;
using Container.Runtime.Errors;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Containers;

/// <summary>Stop, pause, rename, restart policies, healthchecks, auto-remove; and the truth after crashes.</summary>
[Trait("Category", "Kernel")]
public sealed class LifecycleTests : IDisposable
{
    private readonly TestStore store = new();

    public void Dispose() => store.Dispose();

    private ContainerInfo Start(string name, string script, Func<ContainerSpec, ContainerSpec>? change = null)
    {
        var spec = new ContainerSpec { Image = TestStore.Image, Name = name, Command = ["sh", "-c", script] };
        store.Containers.Create(change?.Invoke(spec) ?? spec);
        return store.Containers.Start(name);
    }

    private static ContainerSpec With(ContainerSpec spec, RestartPolicy? restart = null, Healthcheck? health = null, bool autoRemove = false, string? stopSignal = null) =>
        new()
        {
            Image = spec.Image, Name = spec.Name, Command = spec.Command,
            RestartPolicy = restart, Healthcheck = health, AutoRemove = autoRemove, StopSignal = stopSignal,
        };

    private ContainerInfo WaitFor(string name, Func<ContainerInfo, bool> condition, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        ContainerInfo info;
        while (!condition(info = store.Containers.Get(name)))
        {
            Assert.True(DateTime.UtcNow < deadline, $"{name}: still {info.Status} ({info.StatusText}, health {info.Health})");
            Thread.Sleep(20);
        }
        return info;
    }

    private const string TrapsTerm = "trap 'echo got-term; exit 3' TERM; touch /ready; while true; do sleep 0.05; done";

    /// <summary>The script has set its traps once it touched /ready.</summary>
    private static void WaitUntilReady(ContainerInfo container)
    {
        var ready = Path.Combine(container.Path, "upper", "ready");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!File.Exists(ready))
        {
            Assert.True(DateTime.UtcNow < deadline, $"{container.Name} never got ready");
            Thread.Sleep(10);
        }
    }

    [Fact]
    public void RunStaysWithTheContainerAndReturnsItsExit()
    {
        var lines = new List<(Container.Runtime.Logs.LogStream, string)>();
        var exited = store.Containers.Run(new ContainerSpec { Image = TestStore.Image, Name = "ran", Command = ["sh", "-c", "echo out; echo err >&2; exit 3"] },
            remove: false, (stream, text) => lines.Add((stream, text)));
        Assert.Equal(3, exited.ExitCode);
        Assert.Equal([(Container.Runtime.Logs.LogStream.Stdout, "out"), (Container.Runtime.Logs.LogStream.Stderr, "err")], lines.OrderBy(l => l.Item1));
        Assert.Equal(ContainerStatus.Exited, store.Containers.Get("ran").Status);

        // removed once its exit is read, as docker run --rm
        var removed = store.Containers.Run(new ContainerSpec { Image = TestStore.Image, Name = "ran-once", Command = ["sh", "-c", "exit 4"], AutoRemove = true },
            remove: true, (_, _) => { });
        Assert.Equal(4, removed.ExitCode);
        Assert.DoesNotContain(store.Containers.List(), c => c.Name == "ran-once");
    }

    [Fact]
    public void CancellingARunPassesSigintOn()
    {
        var spec = new ContainerSpec { Image = TestStore.Image, Name = "interrupted", Command = ["sh", "-c", "trap 'echo got-int; exit 9' INT; echo up; while true; do sleep 0.05; done"] };
        using var cancel = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() => store.Containers.Run(spec, remove: false, (_, text) =>
        {
            if (text == "up")
                cancel.Cancel();
        }, cancel.Token));
        Assert.Equal(9, store.Containers.Wait("interrupted", TimeSpan.FromSeconds(10)).ExitCode);
        Assert.Contains("got-int", store.Output("interrupted"));

        using var cancelAgain = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() => store.Containers.Run(spec with { Name = "interrupted-removed" }, remove: true, (_, text) =>
        {
            if (text == "up")
                cancelAgain.Cancel();
        }, cancelAgain.Token));
        Assert.DoesNotContain(store.Containers.List(), c => c.Name == "interrupted-removed");
    }

    [Fact]
    public void StopSendsTheStopSignalAndWaits()
    {
        WaitUntilReady(Start("graceful", TrapsTerm));
        var stopped = store.Containers.Stop("graceful", TimeSpan.FromSeconds(10));
        Assert.Equal(3, stopped.ExitCode);
        Assert.Contains("got-term", store.Output("graceful"));
    }

    [Fact]
    public void TheImagesStopSignalIsUsed()
    {
        WaitUntilReady(Start("hup", "trap 'exit 4' HUP; touch /ready; while true; do sleep 0.05; done", s => With(s, stopSignal: "SIGHUP")));
        Assert.Equal(4, store.Containers.Stop("hup", TimeSpan.FromSeconds(10)).ExitCode);
    }

    [Fact]
    public void AStopThatNamesNoTimeoutWaitsTheContainersOwn()
    {
        const string IgnoresTerm = "trap 'echo got-term' TERM; touch /ready; while true; do sleep 0.05; done";
        WaitUntilReady(Start("patient", IgnoresTerm, s => s with { StopTimeout = TimeSpan.FromSeconds(1) }));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var stopped = store.Containers.Stop("patient");
        // signalled, given its second, then killed: well before the 10 s a container without one gets
        Assert.Equal(137, stopped.ExitCode);
        Assert.Contains("got-term", store.Output("patient"));
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(9));

        // a stop's own timeout comes before the container's
        WaitUntilReady(Start("hurried", IgnoresTerm, s => s with { StopTimeout = TimeSpan.FromMinutes(10) }));
        clock.Restart();
        Assert.Equal(137, store.Containers.Stop("hurried", TimeSpan.FromSeconds(1)).ExitCode);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
    }

    [Fact]
    public void KillSignalsAndForceKillsAtOnce()
    {
        WaitUntilReady(Start("usr1", "trap 'exit 5' USR1; touch /ready; while true; do sleep 0.05; done"));
        // a signal is sent and no more: the container dies of it here because it chose to (it may
        // be gone already when Kill looks again, so what Kill returns is only the container)
        Assert.Equal("usr1", store.Containers.Kill("usr1", "USR1").Name);
        Assert.Equal(5, store.Containers.Wait("usr1", TimeSpan.FromSeconds(10)).ExitCode);
        Assert.Equal("ContainerNotRunning", Assert.Throws<ContainerException>(() => store.Containers.Kill("usr1", "TERM")).ErrorId);
        Assert.Equal("InvalidSignal", Assert.Throws<ContainerException>(() => store.Containers.Kill("usr1", "SIGNOPE")).ErrorId);

        WaitUntilReady(Start("forced", TrapsTerm));
        var killed = store.Containers.Stop("forced", TimeSpan.FromSeconds(10), force: true);
        Assert.Equal(137, killed.ExitCode);
        Assert.DoesNotContain("got-term", store.Output("forced"));
    }

    [Fact]
    public void PauseFreezesAndResumeThaws()
    {
        var running = Start("frozen", "i=0; while true; do i=$((i+1)); echo $i > /tmp/tick; sleep 0.01; done");
        // pause once the shell runs (a pause right after start may freeze the init before its exec)
        var tick = Path.Combine(running.Path, "upper", "tmp", "tick");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!File.Exists(tick))
        {
            Assert.True(DateTime.UtcNow < deadline, "the container never ticked");
            Thread.Sleep(10);
        }
        var paused = store.Containers.Pause("frozen", pause: true);
        Assert.Equal(ContainerStatus.Paused, paused.Status);
        Assert.EndsWith("(Paused)", paused.StatusText);
        var before = File.ReadAllText(tick);
        Thread.Sleep(200);
        Assert.Equal(before, File.ReadAllText(tick));
        Assert.Equal("InvalidContainerState", Assert.Throws<ContainerException>(() => store.Containers.Pause("frozen", pause: true)).ErrorId);

        Assert.Equal(ContainerStatus.Running, store.Containers.Pause("frozen", pause: false).Status);
        Thread.Sleep(200);
        Assert.NotEqual(before, File.ReadAllText(tick));

        // a paused container stops too (thawed first)
        store.Containers.Pause("frozen", pause: true);
        Assert.Equal(ContainerStatus.Exited, store.Containers.Stop("frozen", TimeSpan.FromSeconds(5)).Status);
        Assert.Equal("ContainerNotRunning", Assert.Throws<ContainerException>(() => store.Containers.Pause("frozen", pause: false)).ErrorId);

        // and one removed by force dies though frozen (on v1 SIGKILL waits for a thaw)
        store.Containers.Start("frozen");
        Thread.Sleep(300);
        store.Containers.Pause("frozen", pause: true);
        var started = DateTime.UtcNow;
        store.Containers.Remove("frozen", force: true);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
        Assert.Empty(store.Containers.List());
    }

    [Fact]
    public void RenameMovesTheName()
    {
        store.Containers.Create(new ContainerSpec { Image = TestStore.Image, Name = "old-name", Command = ["true"] });
        store.Containers.Create(new ContainerSpec { Image = TestStore.Image, Name = "taken", Command = ["true"] });
        var renamed = store.Containers.Rename("old-name", "new-name");
        Assert.Equal("new-name", renamed.Name);
        Assert.Equal("old-name", renamed.Hostname);
        Assert.Equal("ContainerNotFound", Assert.Throws<ContainerException>(() => store.Containers.Get("old-name")).ErrorId);
        Assert.Equal("NameInUse", Assert.Throws<ContainerException>(() => store.Containers.Rename("new-name", "taken")).ErrorId);
        // the old name is free
        store.Containers.Create(new ContainerSpec { Image = TestStore.Image, Name = "old-name", Command = ["true"] });
    }

    [Fact]
    public void OnFailureRestartsUpToItsCount()
    {
        Start("flaky", "echo run; exit 1", s => With(s, restart: RestartPolicy.Parse("on-failure:2")));
        var done = WaitFor("flaky", c => c.Status == ContainerStatus.Exited);
        Assert.Equal(2, done.RestartCount);
        Assert.Equal(1, done.ExitCode);
        Assert.Equal("run\nrun\nrun", store.Output("flaky")); // the log survives restarts
    }

    [Fact]
    public void OnFailureLeavesASuccessAlone()
    {
        Start("fine", "exit 0", s => With(s, restart: RestartPolicy.Parse("on-failure")));
        var done = WaitFor("fine", c => c.Status == ContainerStatus.Exited);
        Assert.Equal(0, done.RestartCount);
    }

    [Fact]
    public void AlwaysRestartsUntilStopped()
    {
        Start("phoenix", "sleep 0.1; exit 0", s => With(s, restart: RestartPolicy.Parse("always")));
        WaitFor("phoenix", c => c.RestartCount >= 2);
        var stopped = store.Containers.Stop("phoenix", TimeSpan.FromSeconds(5));
        Assert.Equal(ContainerStatus.Exited, stopped.Status);
        var count = stopped.RestartCount;
        Thread.Sleep(1000);
        Assert.Equal(ContainerStatus.Exited, store.Containers.Get("phoenix").Status);
        Assert.Equal(count, store.Containers.Get("phoenix").RestartCount);
    }

    [Fact]
    public void BackOffShowsAsRestarting()
    {
        Start("backing", "exit 2", s => With(s, restart: RestartPolicy.Parse("unless-stopped")));
        var restarting = WaitFor("backing", c => c.Status == ContainerStatus.Restarting);
        Assert.Equal(2, restarting.ExitCode);
        Assert.StartsWith("Restarting (2)", restarting.StatusText);
        store.Containers.Remove("backing", force: true);
        Assert.Empty(store.Containers.List());
    }

    [Fact]
    public void RestartPoliciesAreParsedAsDockers()
    {
        Assert.Equal(new RestartPolicy(RestartMode.OnFailure, 3), RestartPolicy.Parse("on-failure:3"));
        Assert.Equal("unless-stopped", RestartPolicy.Parse("UNLESS-STOPPED").ToString());
        Assert.Equal("InvalidRestartPolicy", Assert.Throws<ContainerException>(() => RestartPolicy.Parse("sometimes")).ErrorId);
        Assert.Equal("InvalidRestartPolicy", Assert.Throws<ContainerException>(() => RestartPolicy.Parse("always:3")).ErrorId);
    }

    [Fact]
    public void AHealthcheckTurnsHealthyThenUnhealthy()
    {
        var health = new Healthcheck
        {
            Command = ["sh", "-c", "test -e /tmp/ok"],
            Interval = TimeSpan.FromMilliseconds(200),
            Timeout = TimeSpan.FromSeconds(5),
            Retries = 2,
        };
        Start("checked", "touch /tmp/ok; sleep 300", s => With(s, health: health));
        var healthy = WaitFor("checked", c => c.Health == HealthStatus.Healthy);
        Assert.EndsWith("(healthy)", healthy.StatusText);
        // failing from now on: unhealthy after two probes
        store.Containers.Exec("checked", new ExecSpec { Command = ["rm", "/tmp/ok"] }, (_, _) => { });
        WaitFor("checked", c => c.Health == HealthStatus.Unhealthy);
    }

    [Fact]
    public void AHealthIsStartingUntilTheFirstProbe()
    {
        var health = new Healthcheck { Command = ["true"], Interval = TimeSpan.FromMinutes(5) };
        var started = Start("unprobed", "sleep 300", s => With(s, health: health));
        Assert.Equal(HealthStatus.Starting, started.Health);
        Assert.EndsWith("(health: starting)", started.StatusText);
    }

    [Fact]
    public void AHealthcheckThatHangsTimesOut()
    {
        var health = new Healthcheck { Command = ["sleep", "300"], Interval = TimeSpan.FromMilliseconds(200), Timeout = TimeSpan.FromMilliseconds(300), Retries = 1 };
        Start("hanging", "sleep 300", s => With(s, health: health));
        WaitFor("hanging", c => c.Health == HealthStatus.Unhealthy);
        var healthFile = Path.Combine(store.Containers.Get("hanging").Path, "health.json");
        var timedOut = store.Containers.Get("hanging").HealthLog[^1];
        Assert.Equal(-1, timedOut.ExitCode);
        Assert.Equal("Health check exceeded timeout (300ms)", timedOut.Output);
        // each timed-out probe's process was killed: after three, the container's own sleep and
        // at most the probe of the moment are left, not one sleep per probe
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (Container.Runtime.Json.ReadFile<HealthRecord>(healthFile).FailingStreak < 3)
        {
            Assert.True(DateTime.UtcNow < deadline, "the probes stopped");
            Thread.Sleep(50);
        }
        var pids = File.ReadAllText(Path.Combine(CgroupProcsDir(store.Containers.Get("hanging").Id), "cgroup.procs")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.InRange(pids.Length, 1, 2);
    }

    [Fact]
    public void AHealthcheckKeepsItsLastFiveResults()
    {
        // each probe counts itself, says its number and fails every other time
        var health = new Healthcheck
        {
            Command = ["sh", "-c", "n=$(( $(cat /tmp/n 2>/dev/null || echo 0) + 1 )); echo $n > /tmp/n; echo probe $n; exit $(( n % 2 ))"],
            Interval = TimeSpan.FromMilliseconds(100),
            Timeout = TimeSpan.FromSeconds(10),
            Retries = 1000,
        };
        Start("counted", "sleep 300", s => With(s, health: health));
        // seven probes or more (a loaded machine may see the log only after the eighth): the last five are kept
        static int Number(HealthcheckResult r) => int.Parse(r.Output.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var probed = WaitFor("counted", c => c.HealthLog.Count > 0 && Number(c.HealthLog[^1]) >= 7, seconds: 60);
        var last = Number(probed.HealthLog[^1]);

        Assert.Equal(Enumerable.Range(last - 4, 5).Select(n => $"probe {n}\n"), probed.HealthLog.Select(r => r.Output));
        Assert.Equal(Enumerable.Range(last - 4, 5).Select(n => n % 2), probed.HealthLog.Select(r => r.ExitCode));
        Assert.All(probed.HealthLog, r => Assert.InRange(r.Start, probed.StartedAt!.Value, r.End));
        Assert.Equal(probed.HealthLog.OrderBy(r => r.End), probed.HealthLog);

        // and outlive the run, until the next start
        var stopped = store.Containers.Stop("counted", TimeSpan.Zero, force: true);
        Assert.Equal(5, stopped.HealthLog.Count);
    }

    [Fact]
    public void AHealthchecksOutputIsItsFirst4KiBAsValidText()
    {
        var health = new Healthcheck
        {
            Command = ["sh", "-c", "printf 'bad \\377 byte\\n'; head -c 5000 /dev/zero | tr '\\0' x"],
            Interval = TimeSpan.FromMilliseconds(100),
            Timeout = TimeSpan.FromSeconds(10),
        };
        Start("talkative", "sleep 300", s => With(s, health: health));
        var result = WaitFor("talkative", c => c.HealthLog.Count > 0).HealthLog[0];

        // the byte that is not UTF-8 becomes '?'; of 5011 bytes the first 4096 are kept, as docker keeps them
        const string firstLine = "bad ? byte\n";
        Assert.Equal(firstLine + new string('x', 4096 - firstLine.Length) + "...", result.Output);
        Assert.Equal(0, result.ExitCode);
    }

    private static string CgroupProcsDir(string id) =>
        File.Exists("/sys/fs/cgroup/cgroup.controllers") ? $"/sys/fs/cgroup/container/{id}" : $"/sys/fs/cgroup/pids/container/{id}";

    [Fact]
    public void AutoRemoveRemovesTheContainerWhenItExits()
    {
        var started = Start("ephemeral", "echo bye", s => With(s, autoRemove: true));
        // gone from sight at once, then deleted by the monitor, which then ends
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((Directory.Exists(started.Path) || Directory.EnumerateFileSystemEntries(store.Paths.StagingDir).Any()) && DateTime.UtcNow < deadline)
            Thread.Sleep(20);
        Assert.False(Directory.Exists(started.Path));
        Assert.Equal("ContainerNotFound", Assert.Throws<ContainerException>(() => store.Containers.Get("ephemeral")).ErrorId);
        Assert.Empty(Directory.EnumerateFileSystemEntries(store.Paths.NamesDir));
        Assert.Empty(Directory.EnumerateFileSystemEntries(store.Paths.StagingDir));
        Assert.DoesNotContain(File.ReadAllLines("/proc/self/mountinfo"), l => l.Contains(started.Id));
    }

    [Fact]
    public void AKilledMonitorLeavesTheTruth()
    {
        var running = Start("orphan", "sleep 300");
        var run = Container.Runtime.Json.ReadFile<RunRecord>(Path.Combine(running.Path, "run.json"));
        Process.GetProcessById(run.MonitorPid).Kill();
        Thread.Sleep(100);
        // its process is still found
        Assert.Equal(ContainerStatus.Running, store.Containers.Get("orphan").Status);

        Process.GetProcessById(run.Pid).Kill();
        var dead = WaitFor("orphan", c => c.Status == ContainerStatus.Exited, 10);
        Assert.Null(dead.ExitCode); // nobody saw how it ended
        Assert.StartsWith("Exited (unknown)", dead.StatusText);
        Assert.Equal(Container.Runtime.Containers.ContainerInfo.UnknownExitCode, store.Containers.Wait("orphan").ExitCode ?? ContainerInfo.UnknownExitCode);

        // and it starts again, and goes, without what the dead monitor left
        store.Containers.Start("orphan");
        store.Containers.Remove("orphan", force: true);
        Assert.DoesNotContain(File.ReadAllLines("/proc/self/mountinfo"), l => l.Contains(running.Id));
    }

    [Fact]
    public void AKilledInitIsRecorded()
    {
        var running = Start("victim", "sleep 300");
        Process.GetProcessById(running.Pid).Kill();
        var exited = WaitFor("victim", c => c.Status == ContainerStatus.Exited);
        Assert.Equal(137, exited.ExitCode);
        Assert.Equal(9, exited.Signal);
    }

    [Fact]
    public void ARunFromAnotherBootHasEnded()
    {
        var running = Start("rebooted", "sleep 300");
        // what a reboot leaves: the run recorded under another boot id, the run root wiped
        var runFile = Path.Combine(running.Path, "run.json");
        var run = Container.Runtime.Json.ReadFile<RunRecord>(runFile);
        Process.GetProcessById(run.MonitorPid).Kill();
        Process.GetProcessById(run.Pid).Kill();
        Thread.Sleep(100);
        run.BootId = Guid.NewGuid().ToString();
        Container.Runtime.Json.WriteFile(runFile, run);
        Directory.Delete(store.Paths.RuntimeStateDir("container-runtime"), recursive: true);

        var info = store.Containers.Get("rebooted");
        Assert.Equal(ContainerStatus.Exited, info.Status);
        Assert.Null(info.ExitCode);
        store.Containers.Start("rebooted");
        Assert.Equal(ContainerStatus.Running, store.Containers.Get("rebooted").Status);
    }
}
