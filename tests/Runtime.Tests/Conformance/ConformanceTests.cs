using Container.Runtime.Oci;
using Container.Runtime.Processes;
using Xunit;
using Xunit.Abstractions;

namespace Container.Tests.Conformance;

/// <summary>
/// One bundle, three runtimes: what the container sees under ours must be what it sees
/// under runc and crun. Each test also checks what it should see, so three runtimes that
/// agree on a wrong answer still fail.
/// </summary>
[Trait("Category", "Kernel")]
public sealed class ConformanceTests(ITestOutputHelper output)
{
    /// <summary>Runs the bundle under ours and the peers; returns ours after checking the peers agree.</summary>
    private ProcessResult Compare(RuntimeSpec spec, Func<string, string>? normalise = null, string[]? peers = null)
    {
        normalise ??= s => s;
        using var bundle = new Bundle(spec);
        var ours = bundle.Run(Oci.Ours);
        output.WriteLine($"ours ({ours.ExitCode}):\n{ours.StandardOutput}{ours.StandardError}");
        foreach (var peer in peers ?? Oci.Peers)
        {
            var theirs = bundle.Run(peer);
            output.WriteLine($"{peer} ({theirs.ExitCode}):\n{theirs.StandardOutput}{theirs.StandardError}");
            Assert.Equal(theirs.ExitCode, ours.ExitCode);
            Assert.Equal(normalise(theirs.StandardOutput), normalise(ours.StandardOutput));
        }
        return ours;
    }

    private static RuntimeSpec Spec(string script) => Bundle.DefaultSpec("sh", "-c", script);

    [Fact]
    public void ExitCodesAgree()
    {
        var result = Compare(Spec("exit 42"));
        Assert.Equal(42, result.ExitCode);
    }

    [Fact]
    public void IdentityAndUmaskAgree()
    {
        var spec = Spec("id; umask");
        spec.Process!.User = new UserSpec { Uid = 1000, Gid = 1000, AdditionalGids = [10, 20], Umask = 0b000_010_111 };
        var result = Compare(spec);
        Assert.Equal("uid=1000 gid=1000 groups=10,20\n0027\n", result.StandardOutput);
    }

    [Fact]
    public void HostnameEnvironmentAndCwdAgree()
    {
        var spec = Spec("hostname; pwd; echo $GREETING");
        spec.Hostname = "h1";
        spec.Process!.Cwd = "/tmp";
        spec.Process.Env.Add("GREETING=hello world");
        Assert.Equal("h1\n/tmp\nhello world\n", Compare(spec).StandardOutput);
    }

    [Fact]
    public void DomainnameAgrees()
    {
        var spec = Spec("cat /proc/sys/kernel/domainname");
        spec.Domainname = "example.test";
        // runc 1.1 ignores domainname
        Assert.Equal("example.test\n", Compare(spec, peers: [Oci.Crun]).StandardOutput);
    }

    [Fact]
    public void MountsAgree()
    {
        // mount point and file system type of every mount; crun mounts in another order and
        // masks with the host's /dev/null (devtmpfs) where runc and ours use the container's
        static string Normalise(string text) =>
            string.Join('\n', text.Replace(" devtmpfs", " tmpfs").Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
        var result = Compare(Spec("awk '{ print $5, $(NF-2) }' /proc/self/mountinfo"), Normalise);
        Assert.StartsWith("/ ", result.StandardOutput);
        foreach (var expected in new[] { "/proc proc", "/dev tmpfs", "/dev/pts devpts", "/dev/shm tmpfs", "/dev/mqueue mqueue", "/sys sysfs", "/proc/keys tmpfs" })
            Assert.Contains(expected + "\n", result.StandardOutput);
    }

    [Fact]
    public void DevicesAgree()
    {
        // crun links /dev/core even where the kernel has no /proc/kcore; runc and ours only where it has
        var result = Compare(Spec("ls /dev; ls -l /dev/ptmx | awk '{print $NF}'"), s => s.Replace("core\n", ""));
        Assert.Equal("fd full mqueue null ptmx pts random shm stderr stdin stdout tty urandom zero pts/ptmx",
            string.Join(' ', result.StandardOutput.Replace("core\n", "").Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Fact]
    public void CapabilitiesAndNoNewPrivsAgree()
    {
        var spec = Spec("grep -E '^(Cap|NoNewPrivs)' /proc/self/status");
        spec.Process!.Capabilities = new CapabilitiesSpec
        {
            Bounding = ["CAP_CHOWN", "CAP_NET_RAW", "CAP_KILL"],
            Effective = ["CAP_CHOWN", "CAP_KILL"],
            Permitted = ["CAP_CHOWN", "CAP_KILL"],
            Inheritable = ["CAP_CHOWN"],
            Ambient = ["CAP_CHOWN"],
        };
        var lines = Compare(spec).StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["CapInh:\t0000000000000001", "CapPrm:\t0000000000000021", "CapEff:\t0000000000000021", "CapBnd:\t0000000000002021",
            "CapAmb:\t0000000000000001", "NoNewPrivs:\t1"], lines);
    }

    [Fact]
    public void RlimitsAndOomScoreAgree()
    {
        var spec = Spec("ulimit -n; ulimit -Hn; cat /proc/self/oom_score_adj");
        spec.Process!.Rlimits = [new RlimitSpec { Type = "RLIMIT_NOFILE", Soft = 512, Hard = 768 }];
        spec.Process.OomScoreAdj = 500;
        Assert.Equal("512\n768\n500\n", Compare(spec).StandardOutput);
    }

    [Fact]
    public void SeccompDenialsAgree()
    {
        var spec = Spec("grep Seccomp: /proc/self/status; mkdir /tmp/x 2>&1; echo made:$?");
        spec.Mounts.Add(new MountSpec { Destination = "/tmp", Type = "tmpfs", Source = "tmpfs", Options = ["nosuid", "nodev"] });
        spec.Linux.Seccomp = new SeccompSpec
        {
            DefaultAction = "SCMP_ACT_ALLOW",
            Syscalls = [new SyscallSpec { Names = ["mkdir", "mkdirat"], Action = "SCMP_ACT_ERRNO", ErrnoRet = 1 }],
        };
        var result = Compare(spec);
        Assert.Contains("Seccomp:\t2", result.StandardOutput);
        Assert.Contains("Operation not permitted", result.StandardOutput);
        Assert.Contains("made:1", result.StandardOutput);
    }

    [Fact]
    public void DefaultSeccompProfileAgrees()
    {
        // ordinary work goes on; making namespaces (unshare) is refused without CAP_SYS_ADMIN
        var spec = Spec("echo ok > /dev/null && echo works; unshare -U true 2>/dev/null; echo unshare:$?");
        spec.Linux.Seccomp = DefaultSeccompProfile.For(SecurityDefaults.Capabilities);
        Assert.Equal("works\nunshare:1\n", Compare(spec).StandardOutput);
    }

    [Fact]
    public void MaskedAndReadonlyPathsAgree()
    {
        var result = Compare(Spec("wc -c < /proc/keys; ls /sys/firmware | wc -l; echo x > /proc/sys/kernel/hostname 2>/dev/null; echo write:$?"));
        Assert.Equal("0\n0\nwrite:1\n", result.StandardOutput);
    }

    [Fact]
    public void ReadonlyRootAgrees() =>
        Assert.Contains("Read-only file system", Compare(Spec("touch /new 2>&1")).StandardOutput);

    [Fact]
    public void SysctlsAgree()
    {
        var spec = Spec("cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/msgmax");
        spec.Linux.Sysctl = new Dictionary<string, string> { ["net.ipv4.ip_forward"] = "1", ["kernel.msgmax"] = "4096" };
        Assert.Equal("1\n4096\n", Compare(spec).StandardOutput);
    }

    [Fact]
    public void NoHostFileDescriptorLeaksIn()
    {
        // only stdio (and the fd ls reads the directory with)
        var result = Compare(Spec("ls /proc/self/fd | tr '\\n' ' '"));
        Assert.Equal("0 1 2 3 ", result.StandardOutput);
    }

    [Fact]
    public void CgroupLimitsAgree()
    {
        var spec = Spec("""
            if [ -f /sys/fs/cgroup/memory.max ]; then
                cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/pids.max /sys/fs/cgroup/cpu.max /sys/fs/cgroup/cpu.weight /sys/fs/cgroup/cpuset.cpus
            else
                cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/cpu/cpu.cfs_period_us /sys/fs/cgroup/cpu/cpu.shares /sys/fs/cgroup/cpuset/cpuset.cpus
            fi
            """);
        spec.Linux.Namespaces.Add(new NamespaceSpec { Type = "cgroup" });
        spec.Linux.Resources!.Memory = new MemorySpec { Limit = 64 * 1024 * 1024 };
        spec.Linux.Resources.Pids = new PidsSpec { Limit = 32 };
        spec.Linux.Resources.Cpu = new CpuSpec { Shares = 512, Quota = 50000, Period = 100000, Cpus = "0" };
        var text = Compare(spec).StandardOutput;
        Assert.Contains("67108864\n32\n", text);
        Assert.True(text.Contains("50000 100000\n20\n0\n") || text.Contains("50000\n100000\n512\n0\n"), text);
    }

    [Fact]
    public void DeviceAccessAgrees()
    {
        // a node the rules do not allow cannot be opened; an allowed one can (and then fails as the device does)
        var spec = Spec("cat /dev/denied 2>&1 | sed 's/.*: //'; cat /dev/allowed 2>&1 | sed 's/.*: //'");
        spec.Linux.Devices = [new DeviceSpec { Path = "/dev/denied", Type = "c", Major = 1, Minor = 12, FileMode = 0b110_110_110 },
            new DeviceSpec { Path = "/dev/allowed", Type = "c", Major = 1, Minor = 13, FileMode = 0b110_110_110 }];
        spec.Linux.Resources!.Devices!.Add(new DeviceRuleSpec { Allow = true, Type = "c", Major = 1, Minor = 13, Access = "rw" });
        var lines = Compare(spec).StandardOutput.Split('\n');
        Assert.Equal("Operation not permitted", lines[0]);
        Assert.NotEqual("Operation not permitted", lines[1]);
    }

    [Fact]
    public void UserNamespacesAgree()
    {
        var spec = Spec("id -u; cat /proc/self/uid_map /proc/self/gid_map | tr -s ' '");
        spec.Linux.Namespaces.Add(new NamespaceSpec { Type = "user" });
        spec.Linux.UidMappings = [new IdMappingSpec { ContainerId = 0, HostId = 100000, Size = 65536 }];
        spec.Linux.GidMappings = [new IdMappingSpec { ContainerId = 0, HostId = 100000, Size = 65536 }];
        // a device cgroup cannot be set from a user namespace by every runtime: keep to defaults
        Assert.Equal("0\n 0 100000 65536\n 0 100000 65536\n", Compare(spec).StandardOutput);
    }

    [Fact]
    public void HooksSeeTheStateAgree()
    {
        var dir = Directory.CreateTempSubdirectory("hooks-").FullName;
        try
        {
            var spec = Spec("true");
            HookSpec Hook(string name) => new() { Path = "/bin/sh", Args = ["sh", "-c", $"cat > {dir}/{name}"] };
            spec.Hooks = new HooksSpec { Prestart = [Hook("prestart")], CreateRuntime = [Hook("createRuntime")], Poststop = [Hook("poststop")] };
            using var bundle = new Bundle(spec);
            foreach (var runtime in new[] { Oci.Ours, Oci.Runc, Oci.Crun })
            {
                foreach (var file in Directory.GetFiles(dir))
                    File.Delete(file);
                var result = bundle.Run(runtime);
                Assert.True(result.Succeeded, $"{runtime}: {result.StandardError}");
                var prestart = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "prestart"))).RootElement;
                Assert.StartsWith($"conf-{runtime}-", prestart.GetProperty("id").GetString());
                Assert.True(prestart.GetProperty("pid").GetInt32() > 0, runtime);
                Assert.Equal(bundle.Dir, prestart.GetProperty("bundle").GetString());
                Assert.True(File.Exists(Path.Combine(dir, "createRuntime")), runtime);
                Assert.True(File.Exists(Path.Combine(dir, "poststop")), runtime);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
