using Container.Runtime.Processes;

namespace Container.Tests.Fixtures;

/// <summary>
/// skopeo and podman as the tests run them, leaving nothing of theirs on the host: each runs in
/// a private mount namespace with fresh tmpfs over the host paths they write to whatever they
/// are told (/var/lib: their blob-info cache, /var/tmp: archives they unpack, /dev/shm:
/// podman's lock memory), so all of it goes when they exit.
/// </summary>
public static class PeerTools
{
    private const string Isolate = "for d in /var/lib /var/tmp /dev/shm; do mount -t tmpfs -o mode=1777 tmpfs \"$d\" || exit 125; done; exec \"$@\"";

    public static ProcessResult Skopeo(params string[] arguments) => Run([], "skopeo", arguments);

    internal static ProcessResult Run(IEnumerable<string> environment, string program, IEnumerable<string> arguments) =>
        ProcessRunner.Run("env", [.. environment, "unshare", "-m", "--propagation", "private", "sh", "-c", Isolate, "sh", program, .. arguments],
            timeout: TimeSpan.FromMinutes(5));
}

/// <summary>
/// A podman with a store of its own in a temporary directory (its containers.conf and
/// storage.conf too: no network config, events or state of the host's), removed on Dispose.
/// Enough for image work (load, inspect); nothing is run.
/// </summary>
public sealed class PodmanStore : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("podman-store-").FullName;

    public PodmanStore()
    {
        File.WriteAllText(Path.Combine(dir, "storage.conf"), $"""
            [storage]
            driver = "vfs"
            graphroot = "{dir}/root"
            runroot = "{dir}/run"
            """);
        File.WriteAllText(Path.Combine(dir, "containers.conf"), $"""
            [engine]
            events_logger = "none"
            tmp_dir = "{dir}/tmp"
            static_dir = "{dir}/static"
            volume_path = "{dir}/volumes"
            image_copy_tmp_dir = "{dir}/tmp"
            cgroup_manager = "cgroupfs"
            [network]
            network_backend = "cni"
            network_config_dir = "{dir}/networks"
            """);
    }

    public ProcessResult Podman(params string[] arguments) =>
        PeerTools.Run([$"CONTAINERS_CONF={dir}/containers.conf", $"CONTAINERS_STORAGE_CONF={dir}/storage.conf"], "podman", arguments);

    public void Dispose() => Directory.Delete(dir, recursive: true);
}
