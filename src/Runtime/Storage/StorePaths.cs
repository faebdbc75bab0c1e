namespace Container.Runtime.Storage;

/// <summary>
/// Where everything lives. One store root holds images, layers and containers; a
/// run root (under /run, so a reboot empties it) holds the OCI runtimes' state.
/// <c>CONTAINER_ROOT</c> and <c>CONTAINER_RUNROOT</c>, read at each call, override them.
/// </summary>
public sealed class StorePaths
{
    public const string RootVariable = "CONTAINER_ROOT";
    public const string RunRootVariable = "CONTAINER_RUNROOT";
    public const string DefaultRoot = "/var/lib/container";
    public const string DefaultRunRoot = "/run/container";

    public StorePaths(string root, string runRoot)
    {
        Root = Path.GetFullPath(root);
        RunRoot = Path.GetFullPath(runRoot);
    }

    /// <summary>
    /// The paths for this call. A custom store root gets its own run root inside it
    /// (unless CONTAINER_RUNROOT says otherwise), so two stores never share runtime state.
    /// </summary>
    public static StorePaths FromEnvironment()
    {
        var root = Environment.GetEnvironmentVariable(RootVariable);
        var runRoot = Environment.GetEnvironmentVariable(RunRootVariable);
        if (string.IsNullOrEmpty(root))
            return new StorePaths(DefaultRoot, string.IsNullOrEmpty(runRoot) ? DefaultRunRoot : runRoot);
        return new StorePaths(root, string.IsNullOrEmpty(runRoot) ? Path.Combine(root, "run") : runRoot);
    }

    public string Root { get; }

    public string RunRoot { get; }

    /// <summary>An OCI image layout: oci-layout, index.json, blobs/sha256/.</summary>
    public string ImagesDir => Path.Combine(Root, "images");

    public string BlobsDir => Path.Combine(ImagesDir, "blobs", "sha256");

    /// <summary>Unpacked layers, one directory per diff id, shared by every image and container.</summary>
    public string LayersDir => Path.Combine(Root, "layers");

    public string ContainersDir => Path.Combine(Root, "containers");

    /// <summary>One file per container name, created exclusively: the name index.</summary>
    public string NamesDir => Path.Combine(Root, "names");

    /// <summary>Staging on the same file system, so a finished item is renamed into place.</summary>
    public string StagingDir => Path.Combine(Root, "staging");

    public string LocksDir => Path.Combine(Root, "locks");

    /// <summary>One directory per network, by name: its record and its address leases.</summary>
    public string NetworksDir => Path.Combine(Root, "networks");

    /// <summary>One directory per named volume, by name: its record (volume.json) and its data (_data), as docker lays them out.</summary>
    public string VolumesDir => Path.Combine(Root, "volumes");

    public string VolumeDir(string name) => Path.Combine(VolumesDir, name);

    /// <summary>One directory per compose project, by name: the secrets and configs up writes for its services.</summary>
    public string ProjectsDir => Path.Combine(Root, "projects");

    public string ProjectDir(string name) => Path.Combine(ProjectsDir, name);

    /// <summary>kube play's files: one directory per pod, one under it per configMap or secret volume (Kubernetes.PlayedPod).</summary>
    public string KubeDir => Path.Combine(Root, "kube");

    /// <summary>The store's settings (StoreConfig): its default network, the default bridge's address.</summary>
    public string ConfigFile => Path.Combine(Root, "config.json");

    /// <summary>Where the network driver bind-mounts containers' network namespaces (under the run root: a reboot empties it).</summary>
    public string NetnsDir => Path.Combine(RunRoot, "netns");

    public string NetnsPath(string containerId) => Path.Combine(NetnsDir, containerId);

    public string NetworkDir(string name) => Path.Combine(NetworksDir, name);

    public string ContainerDir(string id) => Path.Combine(ContainersDir, id);

    public string BlobPath(string digest) => Path.Combine(BlobsDir, DigestHex(digest));

    public string LayerDir(string diffId) => Path.Combine(LayersDir, DigestHex(diffId));

    /// <summary>The --root of one OCI runtime (ours, crun, runc each keep their own).</summary>
    public string RuntimeStateDir(string runtimeName) => Path.Combine(RunRoot, runtimeName);

    /// <summary>Creates the store's directories (root only, mode 0700) if they are missing.</summary>
    public StorePaths EnsureCreated()
    {
        foreach (var dir in new[] { Root, ImagesDir, BlobsDir, LayersDir, ContainersDir, NamesDir, StagingDir, LocksDir, NetworksDir, VolumesDir, RunRoot })
        {
            if (!Directory.Exists(dir))
                Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var layout = Path.Combine(ImagesDir, "oci-layout");
        if (!File.Exists(layout))
            AtomicFile.WriteAllText(layout, "{\"imageLayoutVersion\":\"1.0.0\"}");
        return this;
    }

    private static string DigestHex(string digest)
    {
        var hex = digest.StartsWith("sha256:", StringComparison.Ordinal) ? digest["sha256:".Length..] : digest;
        if (hex.Length != 64 || !Ids.IsHex(hex))
            throw Errors.Errors.InvalidArgument("InvalidDigest", $"'{digest}' is not a sha256 digest.", digest);
        return hex;
    }
}
