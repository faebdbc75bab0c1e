using Container.Runtime.Processes;

namespace Container.Tests.Registries;

/// <summary>
/// A podman that pulls from a test registry and runs what it pulled, leaving nothing on the
/// host: its store, configs and temporaries in a directory of its own (removed on Dispose);
/// each call in a private mount namespace with tmpfs over what it writes outside them
/// (/var/lib, /var/tmp, /dev/shm, crun's /run/crun), no network, and no cgroups
/// (--cgroups disabled). Two quirks of these hosts (shared/PEERS.md) are met there too: crun
/// refuses a hybrid hierarchy whose cgroup.controllers lists anything, so an empty file is
/// bound over it; and podman's default rlimits exceed root's hard ones, so containers.conf
/// asks for those.
/// </summary>
public sealed class RunningPodman : IDisposable
{
    private const string Isolate = """
        for d in /var/lib /var/tmp /dev/shm; do mount -t tmpfs -o mode=1777 tmpfs "$d" || exit 125; done
        if [ -d /run/crun ]; then mount -t tmpfs -o mode=0700 tmpfs /run/crun || exit 125; fi
        controllers=/sys/fs/cgroup/unified/cgroup.controllers
        if [ -f "$controllers" ]; then mount --bind -o ro "$PODMAN_EMPTY" "$controllers" || exit 125; fi
        exec "$@"
        """;

    private readonly string dir = Directory.CreateTempSubdirectory("podman-run-").FullName;

    /// <summary>Why podman cannot run here, or null when it can.</summary>
    public static string? Unavailable =>
        new[] { "/usr/bin/podman", "/usr/bin/crun", "/usr/bin/unshare" }.FirstOrDefault(p => !File.Exists(p)) is { } missing
            ? $"{missing} is not installed (apt-get install podman crun)"
            : null;

    public RunningPodman()
    {
        var nofile = ProcessRunner.Run("sh", ["-c", "ulimit -Hn"]).StandardOutput.Trim();
        var pidMax = File.ReadAllText("/proc/sys/kernel/pid_max").Trim();
        File.WriteAllText(Path.Combine(dir, "empty"), "");
        File.WriteAllText(Path.Combine(dir, "storage.conf"), $"""
            [storage]
            driver = "vfs"
            graphroot = "{dir}/root"
            runroot = "{dir}/run"
            """);
        File.WriteAllText(Path.Combine(dir, "containers.conf"), $"""
            [containers]
            default_ulimits = ["nofile={nofile}:{nofile}", "nproc={pidMax}:{pidMax}"]
            [engine]
            events_logger = "none"
            runtime = "crun"
            tmp_dir = "{dir}/tmp"
            static_dir = "{dir}/static"
            volume_path = "{dir}/volumes"
            image_copy_tmp_dir = "{dir}/tmp"
            cgroup_manager = "cgroupfs"
            [network]
            network_backend = "cni"
            network_config_dir = "{dir}/networks"
            """);
        File.WriteAllText(Path.Combine(dir, "registries.conf"), "unqualified-search-registries = []\n");
    }

    public ProcessResult Podman(params string[] arguments) =>
        ProcessRunner.Run("env", [$"CONTAINERS_CONF={dir}/containers.conf", $"CONTAINERS_STORAGE_CONF={dir}/storage.conf",
            $"CONTAINERS_REGISTRIES_CONF={dir}/registries.conf", $"PODMAN_EMPTY={dir}/empty",
            "unshare", "-m", "--propagation", "private", "sh", "-c", Isolate, "sh", "podman", .. arguments], timeout: TimeSpan.FromMinutes(5));

    /// <summary>podman pull over plain HTTP (the test registry's), then podman run --rm of it; the run's output.</summary>
    public string PullAndRun(string reference, params string[] command)
    {
        var pull = Podman("pull", "--tls-verify=false", reference);
        if (!pull.Succeeded)
            throw new InvalidOperationException($"podman pull {reference}: {pull.StandardError}{pull.StandardOutput}");
        var run = Podman(["run", "--rm", "--network", "none", "--cgroups", "disabled", reference, .. command]);
        if (!run.Succeeded)
            throw new InvalidOperationException($"podman run {reference}: {run.StandardError}{run.StandardOutput}");
        return run.StandardOutput;
    }

    public void Dispose() => Directory.Delete(dir, recursive: true);
}
