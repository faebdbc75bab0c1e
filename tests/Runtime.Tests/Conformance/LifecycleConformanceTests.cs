using Container.Runtime;
using System.Text.Json;
using Container.Runtime.Oci;
using Container.Runtime.Processes;
using Xunit;

namespace Container.Tests.Conformance;

/// <summary>
/// The runtime's command line on live containers (create/start/state/kill/exec/pause/resume/
/// update/ps/list/delete), each compared with the peers, and the guarantees only ours is
/// held to here (nothing left by a failure, the sealed binary, propagation).
/// </summary>
[Trait("Category", "Kernel")]
public sealed class LifecycleConformanceTests
{
    private static readonly string[] All = [Oci.Ours, Oci.Runc, Oci.Crun];

    private static RuntimeSpec Sleeper(string script = "trap 'exit 7' TERM; while true; do sleep 0.05; done") => Bundle.DefaultSpec("sh", "-c", script);

    [Theory]
    [InlineData(Oci.Ours)]
    [InlineData(Oci.Runc)]
    [InlineData(Oci.Crun)]
    public void StateFollowsTheLifecycle(string runtime)
    {
        using var bundle = new Bundle(Sleeper());
        var id = bundle.Create(runtime);
        var created = bundle.State(runtime, id);
        Assert.Equal("created", created.GetProperty("status").GetString());
        Assert.Equal(id, created.GetProperty("id").GetString());
        Assert.Equal(bundle.Dir, created.GetProperty("bundle").GetString());
        var pid = created.GetProperty("pid").GetInt32();
        Assert.True(Directory.Exists($"/proc/{pid}"));

        Assert.True(bundle.Invoke(runtime, "start", id).Succeeded);
        Assert.Equal("running", bundle.Status(runtime, id));
        Assert.Contains(id, bundle.Invoke(runtime, "list").StandardOutput);

        Assert.True(bundle.Invoke(runtime, "kill", id, "KILL").Succeeded);
        bundle.WaitForStatus(runtime, id, "stopped");
        Assert.True(bundle.Invoke(runtime, "delete", id).Succeeded);
        Assert.False(bundle.Invoke(runtime, "state", id).Succeeded);
    }

    [Fact]
    public void SignalsReachTheContainerAlike()
    {
        // a TERM the container traps ends a foreground run with the trap's exit code
        foreach (var runtime in All)
        {
            using var bundle = new Bundle(Sleeper("trap 'exit 7' TERM; echo trapping; while true; do sleep 0.05; done"));
            var id = bundle.NewId(runtime);
            var command = Oci.Command(runtime);
            using var run = ProcessRunner.Start(command[0], [.. command[1..], "--root", bundle.StateRoot, "run", "--bundle", bundle.Dir, id]);
            Assert.Equal("trapping", run.StandardOutput.ReadLine());
            Assert.True(bundle.Invoke(runtime, "kill", id, "TERM").Succeeded);
            Assert.True(run.WaitForExit(10_000), runtime);
            Assert.Equal(7, run.ExitCode);
        }
    }

    [Fact]
    public void ExecJoinsTheContainerAlike()
    {
        var outputs = new Dictionary<string, string>();
        foreach (var runtime in All)
        {
            using var bundle = new Bundle(Sleeper());
            var id = bundle.Start(runtime);
            var init = bundle.State(runtime, id).GetProperty("pid").GetInt32();
            var exec = bundle.Invoke(runtime, "exec", id, "sh", "-c", "hostname; cat /proc/1/cmdline | tr '\\0' ' '; echo; echo $$; readlink /proc/self/ns/mnt");
            Assert.True(exec.Succeeded, $"{runtime}: {exec.StandardError}");
            var lines = exec.StandardOutput.Split('\n');
            Assert.NotEqual("1", lines[2]); // not the init
            Assert.Equal(new FileInfo($"/proc/{init}/ns/mnt").LinkTarget, lines[3]);
            outputs[runtime] = string.Join('\n', lines[..2]);

            // exit codes come back
            Assert.Equal(3, bundle.Invoke(runtime, "exec", id, "sh", "-c", "exit 3").ExitCode);
            Assert.True(bundle.Invoke(runtime, "delete", "--force", id).Succeeded);
        }
        Assert.Equal(outputs[Oci.Runc], outputs[Oci.Ours]);
        Assert.Equal(outputs[Oci.Crun], outputs[Oci.Ours]);
        Assert.StartsWith("conformance\nsh -c trap", outputs[Oci.Ours]);
    }

    [Theory]
    [InlineData(Oci.Ours)]
    [InlineData(Oci.Runc)]
    [InlineData(Oci.Crun)]
    public void ExecTakesAWholeProcessSpec(string runtime)
    {
        using var bundle = new Bundle(Sleeper());
        var id = bundle.Start(runtime);
        var process = Path.Combine(bundle.Dir, "process.json");
        File.WriteAllText(process, """
            {"args":["sh","-c","id -u; id -g; pwd; echo $WHO; grep -E 'CapEff|CapBnd' /proc/self/status"],"env":["PATH=/bin","WHO=exec"],
             "cwd":"/tmp","user":{"uid":1234,"gid":5678},"capabilities":{"bounding":["CAP_KILL"],"effective":["CAP_KILL"],"permitted":["CAP_KILL"]},
             "noNewPrivileges":true}
            """);
        var result = bundle.Invoke(runtime, "exec", "--process", process, id);
        Assert.True(result.Succeeded, $"{runtime}: {result.StandardError}");
        // a non-root process loses its effective set at execve (no ambient set): the bounding set shows the spec
        Assert.Equal("1234\n5678\n/tmp\nexec\nCapEff:\t0000000000000000\nCapBnd:\t0000000000000020\n", result.StandardOutput);
    }

    [Fact]
    public void KillAllReachesEveryProcess()
    {
        using var bundle = new Bundle(Sleeper("sleep 300 & sleep 300 & wait"));
        var id = bundle.Start(Oci.Ours);
        for (var i = 0; i < 100 && JsonDocument.Parse(bundle.Invoke(Oci.Ours, "ps", "--format", "json", id).StandardOutput).RootElement.GetArrayLength() < 3; i++)
            Thread.Sleep(10);
        var pids = JsonDocument.Parse(bundle.Invoke(Oci.Ours, "ps", "--format", "json", id).StandardOutput).RootElement.EnumerateArray().Select(p => p.GetInt32()).ToList();
        Assert.Equal(3, pids.Count);
        Assert.True(bundle.Invoke(Oci.Ours, "kill", "--all", id, "KILL").Succeeded);
        bundle.WaitForStatus(Oci.Ours, id, "stopped");
        Assert.All(pids, pid => Assert.Null(Container.Runtime.Linux.ProcessTable.Host.StartTime(pid)));
    }

    [Fact]
    public void ExecProcessesJoinTheContainersCgroup()
    {
        using var bundle = new Bundle(Sleeper());
        var id = bundle.Start(Oci.Ours);
        var init = bundle.State(Oci.Ours, id).GetProperty("pid").GetInt32();
        var exec = bundle.Invoke(Oci.Ours, "exec", id, "cat", "/proc/self/cgroup");
        Assert.True(exec.Succeeded, exec.StandardError);
        // seen from the host, the init is in the container's cgroup (a line per v1 hierarchy, one on v2)
        Assert.Contains(File.ReadAllLines($"/proc/{init}/cgroup"), l => l.EndsWith($"/conformance/{id}", StringComparison.Ordinal));
        // the exec'd process sees the same cgroup as the init does
        var initView = bundle.Invoke(Oci.Ours, "exec", id, "cat", "/proc/1/cgroup").StandardOutput;
        Assert.Equal(initView, exec.StandardOutput);
    }

    [Theory]
    [InlineData(Oci.Ours)]
    [InlineData(Oci.Runc)]
    [InlineData(Oci.Crun)]
    public void PauseFreezesAndResumeThaws(string runtime)
    {
        using var bundle = new Bundle(Sleeper());
        var id = bundle.Start(runtime);
        var pid = bundle.State(runtime, id).GetProperty("pid").GetInt32();

        Assert.True(bundle.Invoke(runtime, "pause", id).Succeeded);
        Assert.Equal("paused", bundle.Status(runtime, id));
        Assert.Contains(File.ReadAllText($"/proc/{pid}/status").Split('\n').First(l => l.StartsWith("State:")), new[] { "State:\tS (sleeping)", "State:\tD (disk sleep)" });

        Assert.True(bundle.Invoke(runtime, "resume", id).Succeeded);
        Assert.Equal("running", bundle.Status(runtime, id));
        if (runtime != Oci.Crun) // crun accepts resuming a running container
            Assert.False(bundle.Invoke(runtime, "resume", id).Succeeded);
    }

    [Theory]
    [InlineData(Oci.Ours)]
    [InlineData(Oci.Runc)]
    [InlineData(Oci.Crun)]
    public void UpdateChangesLimitsLive(string runtime)
    {
        var spec = Sleeper();
        // without a cgroup namespace runc and crun show the whole v2 hierarchy, ours the container's cgroup only
        spec.Linux.Namespaces.Add(new NamespaceSpec { Type = "cgroup" });
        spec.Linux.Resources!.Memory = new MemorySpec { Limit = 64 * 1024 * 1024 };
        spec.Linux.Resources.Pids = new PidsSpec { Limit = 32 };
        using var bundle = new Bundle(spec);
        var id = bundle.Start(runtime);

        var update = bundle.Invoke(runtime, "update", "--memory", "134217728", "--pids-limit", "64", id);
        Assert.True(update.Succeeded, $"{runtime}: {update.StandardError}");

        var read = bundle.Invoke(runtime, "exec", id, "sh", "-c",
            "if [ -f /sys/fs/cgroup/memory.max ]; then cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/pids.max; else cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max; fi");
        Assert.Equal("134217728\n64\n", read.StandardOutput);
    }

    [Fact]
    public void UpdateTakesResourcesAsJson()
    {
        using var bundle = new Bundle(Sleeper());
        var id = bundle.Start(Oci.Ours);
        var file = Path.Combine(bundle.Dir, "resources.json");
        File.WriteAllText(file, """{"pids":{"limit":50},"cpu":{"quota":20000,"period":100000}}""");
        Assert.True(bundle.Invoke(Oci.Ours, "update", "--resources", file, id).Succeeded);
        var read = bundle.Invoke(Oci.Ours, "exec", id, "sh", "-c",
            "if [ -f /sys/fs/cgroup/pids.max ]; then cat /sys/fs/cgroup/pids.max /sys/fs/cgroup/cpu.max; else cat /sys/fs/cgroup/pids/pids.max /sys/fs/cgroup/cpu/cpu.cfs_quota_us; fi");
        Assert.StartsWith("50\n20000", read.StandardOutput);
    }

    [Fact]
    public void PsListsTheContainersProcesses()
    {
        using var bundle = new Bundle(Sleeper("sleep 300 & sleep 300"));
        var id = bundle.Start(Oci.Ours);
        var pid = bundle.State(Oci.Ours, id).GetProperty("pid").GetInt32();
        for (var i = 0; i < 100 && JsonDocument.Parse(bundle.Invoke(Oci.Ours, "ps", "--format", "json", id).StandardOutput).RootElement.GetArrayLength() < 2; i++)
            Thread.Sleep(10);
        var pids = JsonDocument.Parse(bundle.Invoke(Oci.Ours, "ps", "--format", "json", id).StandardOutput).RootElement.EnumerateArray().Select(p => p.GetInt32()).ToList();
        Assert.Contains(pid, pids);
        Assert.Equal(2, pids.Count);
    }

    [Fact]
    public void DeleteRefusesALiveContainerWithoutForce()
    {
        using var bundle = new Bundle(Sleeper());
        var id = bundle.Start(Oci.Ours);
        var refused = bundle.Invoke(Oci.Ours, "delete", id);
        Assert.False(refused.Succeeded);
        Assert.Contains("--force", refused.StandardError);
        Assert.True(bundle.Invoke(Oci.Ours, "delete", "--force", id).Succeeded);
        Assert.False(Directory.Exists(Path.Combine(bundle.StateRoot, id)));
        Assert.False(CgroupExists(id));
    }

    [Theory]
    [InlineData("""{"ociVersion":"2.0.0"}""", "ociVersion")]
    [InlineData("""{"ociVersion":"1.0.2","root":{"path":"/no/such/rootfs"},"process":{"args":["true"],"cwd":"/"},"linux":{"namespaces":[{"type":"mount"}]}}""", "root.path")]
    [InlineData("""{"ociVersion":"1.0.2","root":{"path":"/"},"process":{"args":[],"cwd":"/"}}""", "process.args")]
    [InlineData("""{"ociVersion":"1.0.2","root":{"path":"/"},"process":{"args":["true"],"cwd":"/"},"linux":{"namespaces":[{"type":"mount"}],"resources":{"memory":{"limit":"big"}}}}""", "linux.resources.memory.limit")]
    public void AFailedCreateLeavesNothingAndNamesTheField(string config, string field)
    {
        using var bundle = new Bundle(Bundle.DefaultSpec("true"));
        File.WriteAllText(Path.Combine(bundle.Dir, "config.json"), config);
        var result = bundle.Invoke(Oci.Ours, "create", "--bundle", bundle.Dir, "broken");
        Assert.False(result.Succeeded);
        Assert.Contains(field, result.StandardError);
        Assert.Empty(Directory.EnumerateFileSystemEntries(bundle.StateRoot));
        Assert.False(CgroupExists("broken"));
    }

    [Fact]
    public void AContainerThatFailsToStartLeavesNothing()
    {
        using var bundle = new Bundle(Bundle.DefaultSpec("/no/such/program"));
        var result = bundle.Run(Oci.Ours);
        Assert.False(result.Succeeded);
        Assert.Contains("/no/such/program", result.StandardError);
        Assert.Empty(Directory.EnumerateFileSystemEntries(bundle.StateRoot));
        Assert.False(CgroupExists(Path.GetFileName(bundle.Spec.Linux.CgroupsPath!)));
    }

    [Fact]
    public void TheContainerCannotReachTheRuntimesBinary()
    {
        // CVE-2019-5736: the init's executable is a sealed in-memory copy, never the file on the host
        using var bundle = new Bundle(Sleeper());
        var id = bundle.Create(Oci.Ours);
        var pid = bundle.State(Oci.Ours, id).GetProperty("pid").GetInt32();
        Assert.StartsWith("/memfd:", new FileInfo($"/proc/{pid}/exe").LinkTarget);
        var binary = Container.Runtime.NativeBinaries.RuntimePath;
        var before = File.ReadAllBytes(binary);
        Assert.ThrowsAny<IOException>(() => File.OpenWrite($"/proc/{pid}/exe").Dispose());
        Assert.Equal(before, File.ReadAllBytes(binary));
    }

    [Fact]
    public void MountsMadeInsideDoNotReachTheHost()
    {
        var spec = Bundle.DefaultSpec("sh", "-c", "mkdir -p /dev/shm/m && mount -t tmpfs inside-only /dev/shm/m && grep -c inside-only /proc/self/mountinfo");
        spec.Process!.Capabilities!.Bounding.Add("CAP_SYS_ADMIN");
        spec.Process.Capabilities.Effective.Add("CAP_SYS_ADMIN");
        spec.Process.Capabilities.Permitted.Add("CAP_SYS_ADMIN");
        using var bundle = new Bundle(spec);
        var result = bundle.Run(Oci.Ours);
        Assert.Equal("1\n", result.StandardOutput);
        Assert.DoesNotContain(File.ReadAllLines("/proc/self/mountinfo"), l => l.Contains("inside-only"));
    }

    [Fact]
    public void TimeNamespacesShiftTheClocks()
    {
        var spec = Bundle.DefaultSpec("sh", "-c", "cut -d. -f1 /proc/uptime");
        spec.Linux.Namespaces.Add(new NamespaceSpec { Type = "time" });
        spec.Linux.TimeOffsets = new Dictionary<string, TimeOffsetSpec> { ["boottime"] = new() { Secs = 864000 } };
        using var bundle = new Bundle(spec);
        // no peer to compare with: runc 1.1 has no time namespaces, and crun 1.8.1 fails to make
        // one on these kernels ("write to sync socket")
        var result = bundle.Run(Oci.Ours);
        Assert.True(result.Succeeded, result.StandardError);
        var hostUptime = long.Parse(File.ReadAllText("/proc/uptime").Split('.')[0]);
        Assert.InRange(long.Parse(result.StandardOutput.Trim()), hostUptime + 864000 - 5, hostUptime + 864000 + 5);
    }

    [Fact]
    public void JoiningANamespaceByPathSharesIt()
    {
        using var first = new Bundle(Sleeper());
        var id = first.Start(Oci.Ours);
        var pid = first.State(Oci.Ours, id).GetProperty("pid").GetInt32();
        var spec = Bundle.DefaultSpec("sh", "-c", "readlink /proc/self/ns/uts; readlink /proc/self/ns/net");
        spec.Hostname = null;
        spec.Linux.Namespaces = [new() { Type = "pid" }, new() { Type = "mount" }, new() { Type = "ipc" },
            new() { Type = "uts", Path = $"/proc/{pid}/ns/uts" }, new() { Type = "network", Path = $"/proc/{pid}/ns/net" }];
        using var second = new Bundle(spec);
        var result = second.Run(Oci.Ours);
        Assert.True(result.Succeeded, result.StandardError);
        Assert.Equal($"{new FileInfo($"/proc/{pid}/ns/uts").LinkTarget}\n{new FileInfo($"/proc/{pid}/ns/net").LinkTarget}\n", result.StandardOutput);
    }

    [Fact]
    public void SpecWritesAConfigThatRunsAndFeaturesDescribeTheRuntime()
    {
        var dir = Directory.CreateTempSubdirectory("spec-").FullName;
        try
        {
            var runtime = Container.Runtime.NativeBinaries.RuntimePath;
            Assert.True(ProcessRunner.Run(runtime, ["spec", "--bundle", dir]).Succeeded);
            var config = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "config.json")))!;
            config["process"]!["terminal"] = false;
            config["process"]!["args"] = System.Text.Json.Nodes.JsonNode.Parse("""["sh","-c","echo from-spec"]""");
            config["root"]!["path"] = Fixtures.BusyboxRootfs.Path;
            File.WriteAllText(Path.Combine(dir, "config.json"), config.ToJsonString());
            var root = Path.Combine(dir, "state");
            var run = ProcessRunner.Run(runtime, ["--root", root, "run", "--bundle", dir, "from-spec"]);
            Assert.True(run.Succeeded, run.StandardError);
            Assert.Equal("from-spec\n", run.StandardOutput);
            Assert.False(ProcessRunner.Run(runtime, ["spec", "--bundle", dir]).Succeeded); // never overwrites

            var features = JsonDocument.Parse(ProcessRunner.Run(runtime, ["features"]).StandardOutput).RootElement;
            Assert.Equal("1.3.0", features.GetProperty("ociVersionMax").GetString());
            Assert.Contains("time", features.GetProperty("linux").GetProperty("namespaces").EnumerateArray().Select(e => e.GetString()));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static bool CgroupExists(string id) =>
        Directory.EnumerateDirectories("/sys/fs/cgroup").Append("/sys/fs/cgroup").Any(h => Directory.Exists(Path.Combine(h, "conformance", id)));
}
