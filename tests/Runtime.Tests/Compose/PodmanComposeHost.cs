using System.Diagnostics;
using Container.Runtime.Processes;
using Container.Tests.Fixtures;

namespace Container.Tests.Compose;

/// <summary>
/// Debian's podman-compose (1.0.3) and the podman it drives, in a mount and a network namespace
/// of their own that play the host, held open by one process for the test's length (podman's
/// containers' namespaces are bind mounts under /run/netns, which a namespace per call would
/// lose between up and down). Nothing lands on the host: /run (podman's, netavark's,
/// aardvark-dns's and crun's state, the netns mounts), /var/lib, /var/tmp and /dev/shm are
/// tmpfs in there; the bridge, its firewall rules and the published ports are in the network
/// namespace, gone with it; the store is a PodmanStore's directory. podman-compose 1.0.3
/// cannot run a service with network_mode: none (it adds --net project_default to every
/// container, which podman refuses beside none), so its containers are on a bridge here.
/// crun runs them without cgroups (--cgroups disabled: none is made on the host) and the
/// hybrid hierarchy's cgroup.controllers is hidden from it (shared/PEERS.md); the rlimits
/// asked for are those root has here.
/// </summary>
public sealed class PodmanComposeHost : IDisposable
{
    /// <summary>The image both sides run: ours' busybox, imported into podman under this name.</summary>
    public const string Image = "localhost/busybox:test";

    private const string Enter = """
        mount -t tmpfs -o mode=0755 tmpfs /run || exit 125
        for d in /var/lib /var/tmp /dev/shm; do mount -t tmpfs -o mode=1777 tmpfs "$d" || exit 125; done
        controllers=/sys/fs/cgroup/unified/cgroup.controllers
        if [ -f "$controllers" ]; then mount --bind -o ro "$1" "$controllers" || exit 125; fi
        ip link set lo up || exit 125
        echo ready
        exec sleep 2147483647
        """;

    private readonly PodmanStore store;
    private readonly Process holder;
    private readonly string netns;

    /// <summary>Why podman-compose cannot run here, or null when it can.</summary>
    public static string? Unavailable =>
        Runtime.Linux.Libc.Geteuid() != 0 ? "podman's bridge and our containers need root here"
        : new[] { "/usr/bin/podman-compose", "/usr/bin/podman", "/usr/bin/crun", "/usr/bin/unshare", "/usr/bin/nsenter" }.FirstOrDefault(p => !File.Exists(p)) is { } missing
            ? $"{missing} is not installed (apt-get install podman-compose podman crun util-linux)"
            : null;

    public PodmanComposeHost()
    {
        var nofile = ProcessRunner.Run("sh", ["-c", "ulimit -Hn"]).StandardOutput.Trim();
        var pidMax = File.ReadAllText("/proc/sys/kernel/pid_max").Trim();
        store = new PodmanStore(engine: "runtime = \"crun\"",
            tables: $"[containers]\ndefault_ulimits = [\"nofile={nofile}:{nofile}\", \"nproc={pidMax}:{pidMax}\"]",
            networkBackend: "netavark");
        try
        {
            var empty = store.Environment.Single(e => e.StartsWith("PODMAN_EMPTY=", StringComparison.Ordinal))["PODMAN_EMPTY=".Length..];
            holder = ProcessRunner.Start("unshare", ["-m", "-n", "--propagation", "private", "sh", "-c", Enter, "sh", empty]);
            var ready = holder.StandardOutput.ReadLine();
            if (ready != "ready")
            {
                holder.WaitForExit();
                throw new InvalidOperationException($"the namespaces for podman could not be made: {holder.StandardError.ReadToEnd()}");
            }
            netns = $"/proc/{holder.Id}/ns/net";
            NetworkNamespace = new FileInfo(netns).LinkTarget!;
            Succeeded(Podman("import", "-q", BusyboxRootfs.Tarball, Image));
        }
        catch
        {
            // Dispose never runs for a constructor that throws: what it made goes here
            if (holder != null)
            {
                holder.Kill();
                holder.WaitForExit();
                holder.Dispose();
            }
            store.Dispose();
            throw;
        }
    }

    /// <summary>The network namespace's identity (net:[inode]): the processes inside are the ones to end.</summary>
    private string NetworkNamespace { get; }

    /// <summary>podman-compose with these arguments, in the project's directory; every container it runs without cgroups.</summary>
    public ProcessResult Compose(string directory, params string[] arguments) =>
        Inside(directory, "podman-compose", ["--podman-run-args=--cgroups disabled", .. arguments]);

    public ProcessResult Podman(params string[] arguments) => Inside("/", "podman", arguments);

    /// <summary>What 127.0.0.1:port serves in the namespace podman plays the host in, once it serves (httpd starts after podman's run returns).</summary>
    public string HttpGet(int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var result = ProcessRunner.Run("nsenter", ["--net=" + netns, "busybox", "wget", "-q", "-O", "-", $"http://127.0.0.1:{port}/"], timeout: TimeSpan.FromSeconds(10));
            if (result.Succeeded || DateTime.UtcNow > deadline)
                return Succeeded(result);
            Thread.Sleep(50);
        }
    }

    /// <summary>Its output; one that failed is an exception with what it said.</summary>
    public static string Succeeded(ProcessResult result) =>
        result.Succeeded ? result.StandardOutput : throw new InvalidOperationException($"failed ({result.ExitCode}): {result.StandardError}{result.StandardOutput}");

    private ProcessResult Inside(string directory, string program, IEnumerable<string> arguments) =>
        ProcessRunner.Run("nsenter", ["-t", holder.Id.ToString(), "-m", "-n", "env", "-C", directory, .. store.Environment, program, .. arguments],
            timeout: TimeSpan.FromMinutes(3));

    /// <summary>
    /// podman's containers, volumes and networks removed; then every process left in the
    /// namespace (aardvark-dns, which outlives its last container; a conmon of a failed test),
    /// the holder last; then the store.
    /// </summary>
    public void Dispose()
    {
        try
        {
            Podman("rm", "--all", "--force", "--time", "0");
            Podman("volume", "rm", "--all", "--force");
            Podman("network", "prune", "--force");
        }
        finally
        {
            foreach (var pid in ProcessesInside().Where(p => p != holder.Id))
                Runtime.Linux.Libc.Kill(pid, 9);
            holder.Kill();
            holder.WaitForExit();
            holder.Dispose();
            store.Dispose();
        }
    }

    private IEnumerable<int> ProcessesInside() =>
        Directory.GetDirectories("/proc").Select(Path.GetFileName).Select(n => int.TryParse(n, out var pid) ? pid : 0).Where(pid => pid > 0)
            .Where(pid =>
            {
                try
                {
                    return new FileInfo($"/proc/{pid}/ns/net").LinkTarget == NetworkNamespace;
                }
                catch (IOException)
                {
                    return false;
                }
                catch (UnauthorizedAccessException)
                {
                    return false;
                }
            }).ToList();
}
