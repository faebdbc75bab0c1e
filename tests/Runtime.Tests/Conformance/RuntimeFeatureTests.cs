using Container.Runtime.Containers;
using Container.Runtime.Linux;
using Container.Runtime.Oci;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Conformance;

/// <summary>Terminals, hook timeouts, the pivot_root fallback, and the engine running its containers under each runtime.</summary>
[Trait("Category", "Kernel")]
public sealed class RuntimeFeatureTests
{
    [Fact]
    public void ACompiledSeccompProgramServesOnlyItsOwnProfile()
    {
        // our runtime compiles each profile once and keeps it under its root
        var spec = Bundle.DefaultSpec("sh", "-c", "mkdir /tmp/x 2>/dev/null; echo mkdir:$?; chmod 700 /tmp 2>/dev/null; echo chmod:$?");
        spec.Mounts.Add(new MountSpec { Destination = "/tmp", Type = "tmpfs", Source = "tmpfs", Options = ["nosuid", "nodev"] });
        using var bundle = new Bundle(spec);
        var cache = Path.Combine(bundle.StateRoot, ".seccomp");
        static SeccompSpec Denying(params string[] names) => new()
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            Syscalls = [new SyscallSpec { Names = [.. names], Action = "SCMP_ACT_ERRNO", ErrnoRet = 1 }],
        };

        spec.Linux.Seccomp = Denying("mkdir", "mkdirat");
        Assert.Equal("mkdir:1\nchmod:0\n", bundle.Run(Oci.Ours).StandardOutput);
        var noMkdir = Assert.Single(Directory.GetFiles(cache));
        Assert.Equal("mkdir:1\nchmod:0\n", bundle.Run(Oci.Ours).StandardOutput);
        Assert.Single(Directory.GetFiles(cache));

        spec.Linux.Seccomp = Denying("chmod", "fchmodat", "fchmodat2");
        Assert.Equal("mkdir:0\nchmod:1\n", bundle.Run(Oci.Ours).StandardOutput);
        var noChmod = Assert.Single(Directory.GetFiles(cache), f => f != noMkdir);

        // a program filed under another profile's name is not taken for it, nor is a damaged one
        File.Copy(noMkdir, noChmod, overwrite: true);
        Assert.Equal("mkdir:0\nchmod:1\n", bundle.Run(Oci.Ours).StandardOutput);
        File.WriteAllBytes(noChmod, File.ReadAllBytes(noChmod)[..^8]);
        Assert.Equal("mkdir:0\nchmod:1\n", bundle.Run(Oci.Ours).StandardOutput);
    }

    [Theory]
    [InlineData(Oci.Ours)]
    [InlineData(Oci.Runc)]
    [InlineData(Oci.Crun)]
    public async Task TerminalComesThroughTheConsoleSocket(string runtime)
    {
        var spec = Bundle.DefaultSpec("sh", "-c", "tty; stty size; echo done");
        spec.Process!.Terminal = true;
        spec.Process.ConsoleSize = new ConsoleSizeSpec { Height = 24, Width = 80 };
        using var bundle = new Bundle(spec);
        using var console = new ConsoleSocket(Path.Combine(bundle.StateRoot, "console.sock"));
        var terminal = console.ReceiveTerminalAsync();
        var id = bundle.NewId(runtime);
        var create = bundle.Invoke(runtime, "create", "--bundle", bundle.Dir, "--console-socket", console.Path, id);
        Assert.True(create.Succeeded, $"{runtime}: {create.StandardError}");
        await using var master = await terminal;
        Assert.True(bundle.Invoke(runtime, "start", id).Succeeded);

        var text = new System.Text.StringBuilder();
        var buffer = new byte[1024];
        var read = Task.Run(() =>
        {
            int n;
            try
            {
                while (!text.ToString().Contains("done") && (n = master.Read(buffer)) > 0)
                    text.Append(System.Text.Encoding.UTF8.GetString(buffer, 0, n));
            }
            catch (IOException)
            {
                // EIO once the last slave closes
            }
        });
        await read.WaitAsync(TimeSpan.FromSeconds(10));
        var lines = text.ToString().Replace("\r", "").Split('\n');
        Assert.Equal("/dev/pts/0", lines[0]);
        Assert.Equal("24 80", lines[1]);
    }

    [Fact]
    public void AHookThatOverstaysItsTimeoutFailsTheCreateAndLeavesNothing()
    {
        var spec = Bundle.DefaultSpec("true");
        spec.Hooks = new HooksSpec { CreateRuntime = [new HookSpec { Path = "/bin/sh", Args = ["sh", "-c", "sleep 10"], Timeout = 1 }] };
        using var bundle = new Bundle(spec);
        var started = DateTime.UtcNow;
        var result = bundle.Run(Oci.Ours);
        Assert.False(result.Succeeded);
        Assert.Contains("createRuntime hook 0", result.StandardError);
        Assert.Contains("did not finish within 1 s", result.StandardError);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(8));
        Assert.Empty(Directory.EnumerateFileSystemEntries(bundle.StateRoot));
    }

    [Fact]
    public void AFailingHookNamesItselfAndItsOutput()
    {
        var spec = Bundle.DefaultSpec("true");
        spec.Hooks = new HooksSpec { Prestart = [new HookSpec { Path = "/bin/sh", Args = ["sh", "-c", "echo no network for you; exit 3"] }] };
        using var bundle = new Bundle(spec);
        var result = bundle.Run(Oci.Ours);
        Assert.False(result.Succeeded);
        Assert.Contains("prestart hook 0 (`/bin/sh`) failed with exit code 3: no network for you", result.StandardError);
    }

    [Fact]
    public void ContainerHooksRunInTheContainersNamespaces()
    {
        // createContainer runs in the container's namespaces before pivot_root (the host's paths
        // still resolve: it writes into the bundle); startContainer inside the container, after start
        var spec = Bundle.DefaultSpec("sh", "-c", "readlink /proc/self/ns/mnt /proc/self/ns/uts > /dev/shm/mine; cat /dev/shm/started");
        spec.Hooks = new HooksSpec
        {
            CreateContainer = [new HookSpec { Path = "/bin/sh", Args = ["sh", "-c", "dir=$(sed 's/.*\"bundle\":\"\\([^\"]*\\)\".*/\\1/'); readlink /proc/self/ns/mnt /proc/self/ns/uts > $dir/created-in"] }],
            StartContainer = [new HookSpec { Path = "/bin/sh", Args = ["sh", "-c", "echo started-in-$(hostname) > /dev/shm/started"] }],
        };
        spec.Process!.Args = ["sh", "-c", "readlink /proc/self/ns/mnt; readlink /proc/self/ns/uts; cat /dev/shm/started"];
        using var bundle = new Bundle(spec);
        foreach (var runtime in new[] { Oci.Ours, Oci.Runc, Oci.Crun })
        {
            var result = bundle.Run(runtime);
            Assert.True(result.Succeeded, $"{runtime}: {result.StandardError}");
            var lines = result.StandardOutput.Split('\n');
            Assert.Equal(("started-in-conformance", runtime), (lines[2], runtime));
            var hook = File.ReadAllLines(Path.Combine(bundle.Dir, "created-in"));
            Assert.Equal((lines[0], lines[1], runtime), (hook[0], hook[1], runtime));
            File.Delete(Path.Combine(bundle.Dir, "created-in"));
        }
    }

    [Fact]
    public void MountPropagationOptionsAgree()
    {
        var shared = Directory.CreateTempSubdirectory("propagation-").FullName;
        try
        {
            // the optional fields of a mount (shared:N, master:N) say its propagation
            var spec = Bundle.DefaultSpec("sh", "-c", "for m in /slave /private /shared; do awk -v m=$m '$5 == m { o = \"\"; for (i = 7; $i != \"-\"; i++) o = o \" \" substr($i, 1, index($i, \":\")); print m o }' /proc/self/mountinfo; done");
            spec.Mounts.Add(new MountSpec { Destination = "/slave", Type = "bind", Source = shared, Options = ["rbind", "rslave"] });
            spec.Mounts.Add(new MountSpec { Destination = "/private", Type = "bind", Source = shared, Options = ["rbind", "rprivate"] });
            spec.Mounts.Add(new MountSpec { Destination = "/shared", Type = "bind", Source = shared, Options = ["rbind", "rshared"] });
            using var bundle = new Bundle(spec);
            var ours = bundle.Run(Oci.Ours);
            Assert.True(ours.Succeeded, ours.StandardError);
            // a slave has a master only where the host's / is shared (as under systemd)
            Assert.Matches("^/slave( master:)?\n/private\n/shared shared:\n$", ours.StandardOutput);
            Assert.Equal(bundle.Run(Oci.Runc).StandardOutput, ours.StandardOutput);
        }
        finally
        {
            Directory.Delete(shared);
        }
    }

    [SkippableFact]
    public void SecurityLabelsTheHostLacksAreIgnoredWithAWarning()
    {
        const string apparmor = "/sys/module/apparmor/parameters/enabled";
        Skip.If(File.Exists("/sys/fs/selinux/enforce") || (File.Exists(apparmor) && File.ReadAllText(apparmor).StartsWith('Y')),
            "this host enforces SELinux or AppArmor: the label would be applied");
        var spec = Bundle.DefaultSpec("echo", "ran");
        spec.Process!.ApparmorProfile = "container-default";
        spec.Process.SelinuxLabel = "system_u:system_r:container_t:s0";
        using var bundle = new Bundle(spec);
        var result = bundle.Run(Oci.Ours);
        Assert.True(result.Succeeded, result.StandardError);
        Assert.Equal("ran\n", result.StandardOutput);
        Assert.Contains("AppArmor is not enabled", result.StandardError);
        Assert.Contains("SELinux is not enabled", result.StandardError);
    }

    [Fact]
    public void NoPivotMovesTheRootInstead()
    {
        using var bundle = new Bundle(Bundle.DefaultSpec("sh", "-c", "awk '$5 == \"/\"' /proc/self/mountinfo | wc -l; ls /"));
        var id = bundle.NewId(Oci.Ours);
        var result = bundle.Invoke(Oci.Ours, "run", "--no-pivot", "--bundle", bundle.Dir, id);
        Assert.True(result.Succeeded, result.StandardError);
        Assert.Contains("bin", result.StandardOutput);
    }

    [Theory]
    [InlineData(Oci.Ours)]
    [InlineData(Oci.Runc)]
    [InlineData(Oci.Crun)]
    public void TheEngineRunsContainersUnderEachRuntime(string runtime)
    {
        using var store = new TestStore();
        store.Containers.Create(new ContainerSpec
        {
            Image = TestStore.Image,
            Name = "under",
            Command = ["sh", "-c", "echo pid $$ on $(hostname); exit 5"],
            Runtime = runtime == Oci.Ours ? null : Oci.Path(runtime),
        });
        var started = store.Containers.Start("under");
        Assert.Equal(runtime == Oci.Ours ? "container-runtime" : Oci.Path(runtime), started.Runtime);
        var exited = store.Containers.Wait("under", TimeSpan.FromSeconds(30));
        Assert.Equal(5, exited.ExitCode);
        Assert.Equal("pid 1 on under", store.Output("under"));
        store.Containers.Remove("under", force: false);
    }
}
