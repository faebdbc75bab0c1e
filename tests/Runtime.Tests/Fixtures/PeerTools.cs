using Container.Runtime.Processes;

namespace Container.Tests.Fixtures;

/// <summary>
/// skopeo and podman as the tests run them, leaving nothing of theirs on the host: each runs in
/// a private mount namespace with fresh tmpfs over the host paths they write to whatever they
/// are told (/var/lib: their blob-info cache, /var/tmp: archives they unpack, /dev/shm:
/// podman's lock memory, and crun's /run/crun when a podman runs), so all of it goes when they
/// exit. With PODMAN_EMPTY (an empty file), a quirk of these hosts (shared/PEERS.md) is met too:
/// crun refuses a hybrid hierarchy whose cgroup.controllers lists anything, so the file is bound over it.
/// </summary>
public static class PeerTools
{
    private const string Isolate = """
        for d in /var/lib /var/tmp /dev/shm; do mount -t tmpfs -o mode=1777 tmpfs "$d" || exit 125; done
        if [ -d /run/crun ]; then mount -t tmpfs -o mode=0700 tmpfs /run/crun || exit 125; fi
        controllers=/sys/fs/cgroup/unified/cgroup.controllers
        if [ -n "$PODMAN_EMPTY" ] && [ -f "$controllers" ]; then mount --bind -o ro "$PODMAN_EMPTY" "$controllers" || exit 125; fi
        exec "$@"
        """;

    public static ProcessResult Skopeo(params string[] arguments) => Run([], "skopeo", arguments);

    internal static ProcessResult Run(IEnumerable<string> environment, string program, IEnumerable<string> arguments) =>
        ProcessRunner.Run("env", [.. environment, "unshare", "-m", "--propagation", "private", "sh", "-c", Isolate, "sh", program, .. arguments],
            timeout: TimeSpan.FromMinutes(5));
}

/// <summary>
/// A podman with a store of its own in a temporary directory (its containers.conf and
/// storage.conf too: no network config, events or state of the host's), removed on Dispose.
/// Enough for image work (load, inspect); engine lines and tables of a caller's own make one
/// that runs (RunningPodman). Short names search no registry.
/// </summary>
public sealed class PodmanStore : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("podman-store-").FullName;

    /// <param name="engine">lines for containers.conf's [engine] table</param>
    /// <param name="tables">more tables of containers.conf</param>
    /// <param name="networkBackend">cni (no plugins installed: no network podman could make), or netavark for one that makes them</param>
    public PodmanStore(string engine = "", string tables = "", string networkBackend = "cni")
    {
        File.WriteAllText(Path.Combine(dir, "empty"), "");
        File.WriteAllText(Path.Combine(dir, "registries.conf"), "unqualified-search-registries = []\n");
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
            {engine}
            [network]
            network_backend = "{networkBackend}"
            network_config_dir = "{dir}/networks"
            {tables}
            """);
    }

    /// <summary>What points podman at this store (NAME=value each), and PODMAN_EMPTY at an empty file of its own.</summary>
    public IReadOnlyList<string> Environment =>
        [$"CONTAINERS_CONF={dir}/containers.conf", $"CONTAINERS_STORAGE_CONF={dir}/storage.conf",
            $"CONTAINERS_REGISTRIES_CONF={dir}/registries.conf", $"PODMAN_EMPTY={dir}/empty"];

    public ProcessResult Podman(params string[] arguments) => PeerTools.Run(Environment, "podman", arguments);

    public void Dispose() => Directory.Delete(dir, recursive: true);
}
