using System.Diagnostics;
using Container.Runtime.Containers;
using Container.Runtime.Errors;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.EndToEnd;

/// <summary>
/// A container end to end on the real kernel: image import, create, start in new
/// namespaces on an overlay, exit recorded, removal leaving nothing behind.
/// </summary>
[Trait("Category", "Kernel")]
public sealed class ContainerEndToEndTests : IDisposable
{
    private readonly TestStore store = new();

    public void Dispose() => store.Dispose();

    [Fact]
    public void ProcessIsPidOneAndHostnameIsTheName()
    {
        var (container, output) = store.Run("t1", "sh", "-c", "hostname; echo $$");

        Assert.Equal(ContainerStatus.Exited, container.Status);
        Assert.Equal(0, container.ExitCode);
        Assert.Equal(["t1", "1"], output.Split('\n'));
    }

    [Fact]
    public void NewContainerIsCreatedAndNothingRuns()
    {
        var created = store.Containers.Create(new ContainerSpec { Image = TestStore.Image, Name = "idle", Command = ["true"] });

        Assert.Equal(ContainerStatus.Created, created.Status);
        Assert.Equal(ContainerStatus.Created, store.Containers.Get("idle").Status);
        Assert.Equal(0, created.Pid);
        Assert.False(Runtime.Linux.Mounts.Host.IsMountPoint(Path.Combine(created.Path, "rootfs")));
        Assert.True(File.Exists(Path.Combine(created.Path, "config.json")));
    }

    [Fact]
    public void RunsInNewNamespaces()
    {
        var (_, output) = store.Run("ns", "sh", "-c", "for n in pid mnt uts ipc net cgroup; do readlink /proc/self/ns/$n; done");

        var inside = output.Split('\n');
        var outside = new[] { "pid", "mnt", "uts", "ipc", "net", "cgroup" }.Select(n => new FileInfo($"/proc/self/ns/{n}").LinkTarget);
        Assert.Equal(6, inside.Length);
        Assert.Empty(inside.Intersect(outside));
    }

    [Fact]
    public void RootIsAnOverlayEnteredWithPivotRoot()
    {
        var (_, output) = store.Run("fs", "sh", "-c", "awk '$5 == \"/\"' /proc/self/mountinfo; ls /proc/1/root/ >/dev/null && echo proc-ok; ls /sys/fs >/dev/null && echo sys-ok; test -c /dev/null && echo dev-ok");

        var lines = output.Split('\n');
        // one mount on /, the overlay: the host's old root is gone
        Assert.Contains(" - overlay ", lines[0]);
        Assert.Equal(["proc-ok", "sys-ok", "dev-ok"], lines[1..]);
    }

    [Fact]
    public void ExitCodeIsRecorded()
    {
        var (container, _) = store.Run("fails", "sh", "-c", "exit 7");

        Assert.Equal(7, container.ExitCode);
        var listed = store.Containers.List().Single(c => c.Name == "fails");
        Assert.Equal(ContainerStatus.Exited, listed.Status);
        Assert.Equal(7, listed.ExitCode);
        Assert.StartsWith("Exited (7)", listed.StatusText);
    }

    [Fact]
    public void WritesLandInTheUpperDirNotInTheImage()
    {
        var (container, _) = store.Run("writer", "sh", "-c", "echo hello > /written.txt; rm /etc/group");

        var upper = Path.Combine(container.Path, "upper");
        Assert.Equal("hello\n", File.ReadAllText(Path.Combine(upper, "written.txt")));
        var layer = store.Engine.Images.LayerDirectory(store.Engine.Images.Get(TestStore.Image).Layers[0]);
        Assert.False(File.Exists(Path.Combine(layer, "written.txt")));
        Assert.True(File.Exists(Path.Combine(layer, "etc/group")));
        // the deletion is an overlay whiteout (a 0:0 character device) in the upper dir
        Assert.True(File.Exists(Path.Combine(upper, "etc/group")));
    }

    [Fact]
    public void SecondContainerSeesNoneOfTheFirstsFiles()
    {
        store.Run("first", "sh", "-c", "echo secret > /secret.txt");

        var (_, output) = store.Run("second", "sh", "-c", "test -e /secret.txt && echo visible || echo absent");

        Assert.Equal("absent", output);
    }

    [Fact]
    public void RemovingLeavesNothingBehind()
    {
        store.Containers.Create(new ContainerSpec { Image = TestStore.Image, Name = "doomed", Command = ["sleep", "300"] });
        var running = store.Containers.Start("doomed");
        Assert.Equal(ContainerStatus.Running, running.Status);
        var pid = running.Pid;
        Assert.True(pid > 0);
        Assert.True(Runtime.Linux.Mounts.Host.IsMountPoint(Path.Combine(running.Path, "rootfs")));
        Assert.NotEmpty(CgroupDirs(running.Id));

        var refused = Assert.Throws<ContainerException>(() => store.Containers.Remove("doomed", force: false));
        Assert.Equal("ContainerRunning", refused.ErrorId);

        store.Containers.Remove("doomed", force: true);

        Assert.False(Directory.Exists(running.Path));
        Assert.DoesNotContain(File.ReadAllLines("/proc/self/mountinfo"), l => l.Contains(running.Id));
        Assert.Empty(CgroupDirs(running.Id));
        Assert.False(Directory.Exists($"/proc/{pid}"));
        Assert.Empty(RuntimeStateOfContainers());
        Assert.Empty(Directory.EnumerateFileSystemEntries(store.Paths.NamesDir));
        Assert.Empty(Directory.EnumerateFileSystemEntries(store.Paths.StagingDir));
        Assert.Empty(Directory.EnumerateFiles(store.Paths.LocksDir, $"{running.Id}*"));
        Assert.Equal("ContainerNotFound", Assert.Throws<ContainerException>(() => store.Containers.Get("doomed")).ErrorId);
        // the name is free again
        store.Containers.Create(new ContainerSpec { Image = TestStore.Image, Name = "doomed", Command = ["true"] });
    }

    /// <summary>The runtime's state of containers: its own cache of compiled seccomp programs (.seccomp) is not one.</summary>
    private IEnumerable<string> RuntimeStateOfContainers() =>
        Directory.EnumerateFileSystemEntries(store.Paths.RuntimeStateDir("container-runtime")).Where(e => Path.GetFileName(e) != ".seccomp");

    [Fact]
    public void ExitedContainerIsCleanedByItsMonitor()
    {
        var (container, _) = store.Run("done", "true");

        // the monitor unmounts the rootfs and deletes the runtime's state once the container exits
        Assert.False(Runtime.Linux.Mounts.Host.IsMountPoint(Path.Combine(container.Path, "rootfs")));
        Assert.Empty(CgroupDirs(container.Id));
        Assert.Empty(RuntimeStateOfContainers());
    }

    [Fact]
    public void ContainerOutlivesTheProcessThatStartedIt()
    {
        var host = Process.Start(new ProcessStartInfo("dotnet", [Path.Combine(BuildOutput.OutputDir, "EngineHost.dll"), store.Root, "run",
            TestStore.Image, "survivor", "sleep", "300"]) { RedirectStandardOutput = true })!;
        var answer = host.StandardOutput.ReadToEnd().Trim();
        host.WaitForExit();
        Assert.Equal("ok", answer);

        var container = store.Containers.Get("survivor");
        Assert.Equal(ContainerStatus.Running, container.Status);
        // neither the container nor its monitor descends from the process that started it
        var monitor = ParentOf(container.Pid);
        Assert.NotEqual(host.Id, ParentOf(monitor));
        Assert.Equal(monitor, SessionOf(monitor));
    }

    [Fact]
    public void ContainerCanBeStartedAgainAndKeepsItsFiles()
    {
        store.Run("again", "sh", "-c", "echo run >> /runs.txt; cat /runs.txt | wc -l");

        store.Containers.Start("again");
        var second = store.Containers.Wait("again", TimeSpan.FromSeconds(30));

        Assert.Equal(0, second.ExitCode);
        Assert.Equal(["1", "2"], store.Output("again").Split('\n'));
    }

    [Fact]
    public void StartingARunningContainerChangesNothingAndWarns()
    {
        var created = store.Containers.Create(new ContainerSpec { Image = TestStore.Image, Name = "busy", Command = ["sleep", "300"] });
        var first = store.Containers.Start("busy");
        var warnings = new List<string>();

        var again = store.Containers.Start(created.ShortId, warn: warnings.Add);

        Assert.Equal(ContainerStatus.Running, again.Status);
        Assert.Equal(first.Pid, again.Pid);
        Assert.Equal(first.StartedAt, again.StartedAt);
        Assert.Equal($"Container '{created.ShortId}' is running already: nothing to start.", Assert.Single(warnings));
    }

    [Fact]
    public void StartingAPausedContainerIsRefused()
    {
        store.Containers.Create(new ContainerSpec { Image = TestStore.Image, Name = "frozen", Command = ["sleep", "300"] });
        store.Containers.Start("frozen");
        store.Containers.Pause("frozen", pause: true);

        var e = Assert.Throws<ContainerException>(() => store.Containers.Start("frozen"));

        Assert.Equal("InvalidContainerState", e.ErrorId);
        Assert.Equal(ErrorKind.InvalidOperation, e.Kind);
    }

    [Fact]
    public void MissingCommandFailsTheStartAndLeavesNothingMounted()
    {
        var created = store.Containers.Create(new ContainerSpec { Image = TestStore.Image, Name = "nocmd", Command = ["/no/such/program"] });

        var e = Assert.Throws<ContainerException>(() => store.Containers.Start("nocmd"));

        Assert.Equal("ContainerStartFailed", e.ErrorId);
        Assert.Contains("/no/such/program", e.Message);
        Assert.False(Runtime.Linux.Mounts.Host.IsMountPoint(Path.Combine(created.Path, "rootfs")));
        Assert.Empty(CgroupDirs(created.Id));
        Assert.Equal(ContainerStatus.Created, store.Containers.Get("nocmd").Status);
    }

    [Fact]
    public void StopEndsARunningContainer()
    {
        store.Containers.Create(new ContainerSpec { Image = TestStore.Image, Name = "stoppable", Command = ["sleep", "300"] });
        store.Containers.Start("stoppable");

        // sleep as pid 1 ignores SIGTERM (no handler, init): the stop escalates to SIGKILL
        var stopped = store.Containers.Stop("stoppable", TimeSpan.FromMilliseconds(200));

        Assert.Equal(ContainerStatus.Exited, stopped.Status);
        Assert.Equal(137, stopped.ExitCode);
    }

    /// <summary>The container's cgroup in every hierarchy: /sys/fs/cgroup/container/id on v2, under each controller on v1.</summary>
    private static IEnumerable<string> CgroupDirs(string id) =>
        Directory.EnumerateDirectories("/sys/fs/cgroup").Append("/sys/fs/cgroup")
            .Select(h => Path.Combine(h, "container", id)).Where(Directory.Exists);

    private static int ParentOf(int pid) => int.Parse(StatField(pid, 1));

    private static int SessionOf(int pid) => int.Parse(StatField(pid, 3));

    // fields after the command name: state(0) ppid(1) pgrp(2) session(3)
    private static string StatField(int pid, int index)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[index];
    }
}
