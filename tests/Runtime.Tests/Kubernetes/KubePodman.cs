using Container.Runtime.Images;
using Container.Runtime.Processes;
using Container.Tests.Fixtures;

namespace Container.Tests.Kubernetes;

/// <summary>
/// A podman that plays and generates Kubernetes YAML on this host, leaving nothing behind: its
/// store and configs in a directory of its own (PodmanStore, each call isolated as PeerTools
/// runs it), runc (crun refuses this host's hybrid cgroups, shared/PEERS.md), rlimits root may
/// have, and ours' busybox image loaded into it, with a pause image made of it for the pods'
/// infra containers (podman would build its own from catatonit, which is not installed).
/// </summary>
public sealed class KubePodman : IDisposable
{
    public const string PauseImage = "pause:test";

    /// <summary>Where podman's cgroupfs manager puts its pods' cgroups, in every hierarchy.</summary>
    private const string PodCgroups = "libpod_parent";

    private readonly PodmanStore store;
    private readonly HashSet<string> cgroupsBefore = CgroupsOfPods();

    /// <summary>Why podman cannot play YAML here, or null when it can.</summary>
    public static string? Unavailable =>
        new[] { "/usr/bin/podman", "/usr/sbin/runc", "/usr/bin/unshare" }.FirstOrDefault(p => !File.Exists(p)) is { } missing
            ? $"{missing} is not installed (apt-get install podman runc)"
            : null;

    public KubePodman(TestStore ours)
    {
        var nofile = ProcessRunner.Run("sh", ["-c", "ulimit -Hn"]).StandardOutput.Trim();
        var pidMax = File.ReadAllText("/proc/sys/kernel/pid_max").Trim();
        store = new PodmanStore(engine: $"runtime = \"runc\"\ninfra_image = \"localhost/{PauseImage}\"",
            tables: $"[containers]\ndefault_ulimits = [\"nofile={nofile}:{nofile}\", \"nproc={pidMax}:{pidMax}\"]");
        ours.Engine.Importer.Import(BusyboxRootfs.Path, ImageReference.Parse(PauseImage), ImageDefaults.From(["sleep", "2147483647"], null, null));
        var archive = Path.Combine(Path.GetTempPath(), $"kube-podman-images-{Guid.NewGuid():n}.tar");
        try
        {
            ours.Engine.Exporter.Export([TestStore.Image, PauseImage], archive, ImageArchiveFormat.DockerArchive);
            Succeeded(Podman("load", "-i", archive));
        }
        finally
        {
            File.Delete(archive);
        }
    }

    public ProcessResult Podman(params string[] arguments) => store.Podman(arguments);

    /// <summary>Its output; a podman that failed is an exception with what it said.</summary>
    public static string Succeeded(ProcessResult result) =>
        result.Succeeded ? result.StandardOutput : throw new InvalidOperationException($"podman failed ({result.ExitCode}): {result.StandardError}{result.StandardOutput}");

    /// <summary>Every pod, container and volume of its store removed, then the store.</summary>
    public void Dispose()
    {
        try
        {
            Podman("pod", "rm", "--all", "--force");
            Podman("rm", "--all", "--force");
            Podman("volume", "rm", "--all", "--force");
        }
        finally
        {
            store.Dispose();
            RemoveCgroupsMade();
        }
    }

    private static HashSet<string> CgroupsOfPods() =>
        Directory.GetDirectories("/sys/fs/cgroup").Select(h => Path.Combine(h, PodCgroups)).Where(Directory.Exists)
            .SelectMany(d => Directory.GetDirectories(d, "*", SearchOption.AllDirectories).Append(d)).ToHashSet();

    /// <summary>
    /// The pods' cgroups that pod rm leaves (in the named hierarchies: systemd, unified), and
    /// libpod_parent where it made it: empty by now, removed deepest first.
    /// </summary>
    private void RemoveCgroupsMade()
    {
        foreach (var cgroup in CgroupsOfPods().Except(cgroupsBefore).OrderByDescending(d => d.Length))
            Directory.Delete(cgroup);
    }
}
