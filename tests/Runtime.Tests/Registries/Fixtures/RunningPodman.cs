using Container.Runtime.Processes;
using Container.Tests.Fixtures;

namespace Container.Tests.Registries;

/// <summary>
/// A podman that pulls from a test registry and runs what it pulled, leaving nothing on the
/// host: its store, configs and temporaries in a directory of its own (removed on Dispose);
/// each call isolated as PeerTools runs it (crun's cgroup quirk met there), no network, and no
/// cgroups (--cgroups disabled); podman's default rlimits exceed root's hard ones on these hosts
/// (shared/PEERS.md), so containers.conf asks for those.
/// </summary>
public sealed class RunningPodman : IDisposable
{
    private readonly PodmanStore store;

    /// <summary>Why podman cannot run here, or null when it can.</summary>
    public static string? Unavailable =>
        new[] { "/usr/bin/podman", "/usr/bin/crun", "/usr/bin/unshare" }.FirstOrDefault(p => !File.Exists(p)) is { } missing
            ? $"{missing} is not installed (apt-get install podman crun)"
            : null;

    public RunningPodman()
    {
        var nofile = ProcessRunner.Run("sh", ["-c", "ulimit -Hn"]).StandardOutput.Trim();
        var pidMax = File.ReadAllText("/proc/sys/kernel/pid_max").Trim();
        store = new PodmanStore(engine: "runtime = \"crun\"",
            tables: $"[containers]\ndefault_ulimits = [\"nofile={nofile}:{nofile}\", \"nproc={pidMax}:{pidMax}\"]");
    }

    public ProcessResult Podman(params string[] arguments) => store.Podman(arguments);

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

    public void Dispose() => store.Dispose();
}
