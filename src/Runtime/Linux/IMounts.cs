namespace Container.Runtime.Linux;

/// <summary>
/// The mounts the engine makes itself (a container's rootfs overlay, a read-only view of it)
/// and what is mounted where. The engine gets it from ContainerEngine, so a test can give it
/// another and make a mount fail.
/// </summary>
internal interface IMounts
{
    /// <summary>Mounts an overlay: the lower directories read-only (topmost first), upper for writes.</summary>
    void MountOverlay(string target, IReadOnlyList<string> lowerDirs, string upperDir, string workDir);

    /// <summary>A read-only overlay of the directories given, topmost first (whiteouts in them apply).</summary>
    void MountReadOnlyOverlay(string target, IReadOnlyList<string> lowerDirs);

    /// <summary>Any file system by mount(2): what a volume's local driver options name (a tmpfs, a bind of a host directory).</summary>
    void MountFileSystem(string source, string target, string fileSystemType, ulong flags, string? data);

    /// <summary>Detaches the mount at target; nothing mounted there is fine.</summary>
    void Unmount(string target);

    /// <summary>Whether some mount in this mount namespace has target as its mount point.</summary>
    bool IsMountPoint(string target);
}
