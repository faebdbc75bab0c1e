using Container.Runtime.Oci;
using Container.Runtime.Processes;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Conformance;

/// <summary>
/// What opencontainers/runtime-tools' validation suite checks where ours once fell short
/// (killsig, poststart_fail, poststop_fail, linux_ns_itype, linux_ns_path, hooks_stdin, the
/// capabilities a host cannot give), each compared with the peers that get it right.
/// </summary>
[Trait("Category", "Kernel")]
public sealed class ValidationSuiteTests
{
    [Fact]
    public void StartReturnsOnceTheProgramRunsSoASignalAfterItArrives()
    {
        // Before its exec a TERM to the init of a pid namespace, which has no handler yet, is
        // dropped by the kernel. Neither runc 1.1.5 nor crun 1.8.1 waits for that exec.
        using var bundle = new Bundle(Bundle.DefaultSpec("sh", "-c", "trap 'exit 42' TERM; while true; do sleep 0.05; done"));
        // a hundred tries at the race, or as many as two minutes allow past twenty: under emulation each takes seconds
        var enough = DateTime.UtcNow.AddMinutes(2);
        for (var run = 0; run < 100 && (run < 20 || DateTime.UtcNow < enough); run++)
        {
            var id = bundle.Create(Oci.Ours);
            var pid = bundle.State(Oci.Ours, id).GetProperty("pid").GetInt32();
            Assert.True(bundle.Invoke(Oci.Ours, "start", id).Succeeded);
            Assert.Equal(("sh", run), (File.ReadAllText($"/proc/{pid}/comm").Trim(), run));
            // the shell's trap is its own business: once it is set, the signal must reach it
            WaitUntil(() => (StatusMask(pid, "SigCgt:") & (1UL << (15 - 1))) != 0);
            Assert.True(bundle.Invoke(Oci.Ours, "kill", id, "TERM").Succeeded);
            bundle.WaitForStatus(Oci.Ours, id, "stopped");
            Assert.True(bundle.Invoke(Oci.Ours, "delete", id).Succeeded);
        }
    }

    [Theory]
    [InlineData(Oci.Ours)]
    [InlineData(Oci.Crun)]
    public void AFailingPoststartOrPoststopHookIsAWarningAndTheRestStillRun(string runtime)
    {
        // runc 1.1.5 runs poststart hooks at create, and fails it when one fails
        var dir = Directory.CreateTempSubdirectory("hooks-").FullName;
        try
        {
            var ran = Path.Combine(dir, "ran");
            var failing = new HookSpec { Path = "/bin/sh", Args = ["sh", "-c", "exit 3"] };
            HookSpec Marking(string name) => new() { Path = "/bin/sh", Args = ["sh", "-c", $"echo {name} >> {ran}"] };
            var spec = Bundle.DefaultSpec("true");
            spec.Hooks = new HooksSpec { Poststart = [failing, Marking("poststart")], Poststop = [failing, Marking("poststop")] };
            using var bundle = new Bundle(spec);
            var id = bundle.Create(runtime);
            var start = bundle.Invoke(runtime, "start", id);
            Assert.True(start.Succeeded, $"{runtime} start: {start.StandardError}");
            bundle.WaitForStatus(runtime, id, "stopped");
            var delete = bundle.Invoke(runtime, "delete", id);
            Assert.True(delete.Succeeded, $"{runtime} delete: {delete.StandardError}");
            Assert.Equal(("poststart\npoststop\n", runtime), (File.ReadAllText(ran), runtime));
            if (runtime == Oci.Ours)
            {
                Assert.Contains("poststart hook 0 (`/bin/sh`) failed with exit code 3", start.StandardError);
                Assert.Contains("poststop hook 0 (`/bin/sh`) failed with exit code 3", delete.StandardError);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData(Oci.Ours)]
    [InlineData(Oci.Crun)]
    public void APrestartHookSeesTheContainerCreated(string runtime)
    {
        // runc 1.1.5 says "creating", which the suite's hooks_stdin fails
        var dir = Directory.CreateTempSubdirectory("hooks-").FullName;
        try
        {
            var spec = Bundle.DefaultSpec("true");
            spec.Hooks = new HooksSpec { Prestart = [new HookSpec { Path = "/bin/sh", Args = ["sh", "-c", $"cat > {dir}/prestart"] }] };
            using var bundle = new Bundle(spec);
            var result = bundle.Run(runtime);
            Assert.True(result.Succeeded, $"{runtime}: {result.StandardError}");
            var state = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "prestart"))).RootElement;
            Assert.Equal("created", state.GetProperty("status").GetString());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static readonly string[] NamespaceKinds = ["mnt", "pid", "net", "ipc", "uts", "cgroup", "user"];

    private static string NamespacesOf(string process) =>
        string.Concat(NamespaceKinds.Select(kind => new FileInfo($"/proc/{process}/ns/{kind}").LinkTarget + "\n"));

    [Fact]
    public void AContainerWithoutNamespacesSharesTheRuntimesAndLeavesNoMount()
    {
        // The spec: a namespace not asked for is the runtime's. Everything is mounted beneath a
        // private bind of the rootfs in the host's mount namespace, where the host sees it (so
        // a rootfs of its own, not the one other tests share); the root is a chroot.
        var rootfs = Directory.CreateTempSubdirectory("shared-namespace-rootfs-").FullName;
        try
        {
            File.SetUnixFileMode(rootfs, (UnixFileMode)0b111_101_101);
            var made = ProcessRunner.Run(Path.Combine(BuildOutput.RepositoryRoot, "tools", "make-busybox-rootfs.sh"), [rootfs]);
            Assert.True(made.Succeeded, made.ErrorText);
            var spec = Bundle.DefaultSpec("sh", "-c", "trap 'exit 0' TERM; while true; do sleep 0.05; done");
            spec.Root!.Path = rootfs;
            spec.Hostname = null;
            spec.Linux.Namespaces = [];
            using var bundle = new Bundle(spec);
            var id = bundle.Start(Oci.Ours);
            var pid = bundle.State(Oci.Ours, id).GetProperty("pid").GetInt32();
            Assert.Equal(NamespacesOf("self"), NamespacesOf(pid.ToString()));
            var exec = bundle.Invoke(Oci.Ours, "exec", id, "sh", "-c", "ls /bin/busybox; grep -c ' /proc ' /proc/self/mountinfo");
            Assert.Equal("/bin/busybox\n1\n", exec.StandardOutput);
            Assert.Contains(File.ReadLines("/proc/self/mountinfo"), line => line.Contains(rootfs));
            Assert.True(bundle.Invoke(Oci.Ours, "delete", "--force", id).Succeeded);
            Assert.DoesNotContain(File.ReadLines("/proc/self/mountinfo"), line => line.Contains(rootfs));

            // crun agrees on all but the mount namespace: it runs in one of its own here (see
            // Oci). runc 1.1.5 refuses masked paths without one, and would change the
            // propagation of the host's / if it did not.
            var program = "for ns in " + string.Join(' ', NamespaceKinds[1..]) + "; do readlink /proc/self/ns/$ns; done";
            bundle.Spec.Process!.Args = ["sh", "-c", program];
            var crun = bundle.Run(Oci.Crun);
            Assert.True(crun.Succeeded, crun.StandardError);
            Assert.Equal(NamespacesOf("self")[(NamespacesOf("self").IndexOf('\n') + 1)..], crun.StandardOutput);
        }
        finally
        {
            // never through a mount a failed delete left (the host's /proc, /sys, mqueue)
            if (!File.ReadLines("/proc/self/mountinfo").Any(line => line.Contains(rootfs)))
                Directory.Delete(rootfs, recursive: true);
        }
    }

    [Theory]
    [InlineData(Oci.Ours)]
    [InlineData(Oci.Crun)]
    [InlineData(Oci.Runc)]
    public void AContainerJoinsAMountNamespaceByPath(string runtime)
    {
        using var holder = ProcessRunner.Start("unshare", ["--mount", "--fork", "sleep", "300"]);
        try
        {
            var mine = new FileInfo("/proc/self/ns/mnt").LinkTarget;
            WaitUntil(() => new FileInfo($"/proc/{holder.Id}/ns/mnt").LinkTarget != mine);
            var path = $"/proc/{holder.Id}/ns/mnt";
            var spec = Bundle.DefaultSpec("sh", "-c", "trap 'exit 0' TERM; while true; do sleep 0.05; done");
            spec.Linux.Namespaces = [new() { Type = "pid" }, new() { Type = "mount", Path = path }, new() { Type = "ipc" }, new() { Type = "uts" }, new() { Type = "network" }];
            using var bundle = new Bundle(spec);
            var id = bundle.Start(runtime);
            var pid = bundle.State(runtime, id).GetProperty("pid").GetInt32();
            Assert.Equal(new FileInfo(path).LinkTarget, new FileInfo($"/proc/{pid}/ns/mnt").LinkTarget);
            var exec = bundle.Invoke(runtime, "exec", id, "ls", "/bin/busybox");
            Assert.Equal(("/bin/busybox\n", runtime), (exec.StandardOutput, runtime));
            Assert.True(bundle.Invoke(runtime, "delete", "--force", id).Succeeded);
            if (runtime == Oci.Ours)
                // nothing of the container is left in a namespace that is not its own
                Assert.DoesNotContain(File.ReadLines($"/proc/{holder.Id}/mountinfo"), line => line.Contains(BusyboxRootfs.Path));
        }
        finally
        {
            holder.Kill(entireProcessTree: true);
            holder.WaitForExit();
        }
    }

    [SkippableFact]
    public void ACapabilityTheHostCannotGiveIsRefusedByName()
    {
        var bounding = StatusMask(Environment.ProcessId, "CapBnd:");
        var missing = Enumerable.Range(0, Capabilities.All.Count).Where(cap => (bounding & (1UL << cap)) == 0).Select(cap => Capabilities.All[cap]).FirstOrDefault();
        Skip.If(missing == null, "this host's bounding set holds every capability: none to ask for in vain");
        var spec = Bundle.DefaultSpec("true");
        spec.Process!.Capabilities!.Bounding.Add(missing!);
        spec.Process.Capabilities.Effective.Add(missing!);
        spec.Process.Capabilities.Permitted.Add(missing!);
        using var bundle = new Bundle(spec);
        var refused = Assert.Throws<InvalidOperationException>(() => bundle.Create(Oci.Ours));
        Assert.Contains($"{missing} is not in this runtime's bounding set", refused.Message);
        // nothing but the file create's error went to
        Assert.All(Directory.EnumerateFileSystemEntries(bundle.StateRoot), entry => Assert.EndsWith(".stderr", entry));
        foreach (var peer in Oci.Peers)
            Assert.False(bundle.Run(peer).Succeeded, $"{peer} gave {missing}, which the host lacks");
    }

    /// <summary>A mask of /proc/pid/status (SigCgt, CapBnd...).</summary>
    private static ulong StatusMask(int pid, string field) =>
        Convert.ToUInt64(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(field, StringComparison.Ordinal))[field.Length..].Trim(), 16);

    private static void WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not come within 10 s");
            Thread.Sleep(5);
        }
    }
}
