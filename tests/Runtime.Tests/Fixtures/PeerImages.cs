using Container.Runtime.Processes;

namespace Container.Tests.Fixtures;

/// <summary>
/// Images made by the peers, once per run: an OCI layout built with umoci (two gzip layers:
/// the busybox rootfs, then a file added and one deleted), and skopeo's docker-archive and
/// oci-archive copies of it.
/// </summary>
public static class PeerImages
{
    private static readonly Lazy<string> Built = new(Make);

    /// <summary>The umoci-made OCI layout directory; its image is tagged "v1" (a tag alone).</summary>
    public static string Layout => Path.Combine(Built.Value, "layout");

    /// <summary>skopeo copy oci:layout:v1 docker-archive:...:peer/busybox:docker</summary>
    public static string DockerArchive => Path.Combine(Built.Value, "docker-archive.tar");

    /// <summary>skopeo copy oci:layout:v1 oci-archive:...:peer/busybox:oci</summary>
    public static string OciArchive => Path.Combine(Built.Value, "oci-archive.tar");

    public static void Run(string program, params string[] arguments)
    {
        var result = ProcessRunner.Run(program, arguments, timeout: TimeSpan.FromMinutes(5));
        if (!result.Succeeded)
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)}: {result.StandardError}{result.StandardOutput}");
    }

    private static void Skopeo(params string[] arguments)
    {
        var result = PeerTools.Skopeo(arguments);
        if (!result.Succeeded)
            throw new InvalidOperationException($"skopeo {string.Join(' ', arguments)}: {result.StandardError}{result.StandardOutput}");
    }

    private static string Make()
    {
        var dir = Directory.CreateTempSubdirectory("peer-images-").FullName;
        RunTemporaries.DeleteAtExit(dir);
        var layout = Path.Combine(dir, "layout");
        var bundle = Path.Combine(dir, "bundle");
        Run("umoci", "init", "--layout", layout);
        Run("umoci", "new", "--image", $"{layout}:v1");
        Run("umoci", "unpack", "--image", $"{layout}:v1", bundle);
        Run("cp", "-a", BusyboxRootfs.Path + "/.", Path.Combine(bundle, "rootfs"));
        Run("umoci", "repack", "--image", $"{layout}:v1", bundle);
        // a second layer, over the first: one file added, one deleted (a whiteout); repack builds
        // on the image a bundle was unpacked from, so unpack again
        var second = Path.Combine(dir, "bundle2");
        Run("umoci", "unpack", "--image", $"{layout}:v1", second);
        File.WriteAllText(Path.Combine(second, "rootfs", "etc", "peer-made"), "by umoci\n");
        File.Delete(Path.Combine(second, "rootfs", "etc", "group"));
        Run("umoci", "repack", "--image", $"{layout}:v1", second);
        Run("umoci", "config", "--image", $"{layout}:v1", "--config.cmd", "sh", "--config.env", "MADE_BY=umoci", "--config.workingdir", "/etc");
        Skopeo("copy", $"oci:{layout}:v1", $"docker-archive:{DockerArchiveIn(dir)}:peer/busybox:docker");
        Skopeo("copy", $"oci:{layout}:v1", $"oci-archive:{Path.Combine(dir, "oci-archive.tar")}:peer/busybox:oci");
        return dir;
    }

    private static string DockerArchiveIn(string dir) => Path.Combine(dir, "docker-archive.tar");
}
