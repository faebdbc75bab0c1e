using Container.Runtime.Processes;

namespace Container.Tests.Fixtures;

/// <summary>The busybox root filesystem (tools/make-busybox-rootfs.sh), made once per test run.</summary>
public static class BusyboxRootfs
{
    private static readonly Lazy<string> Built = new(Make);

    public static string Path => Built.Value;

    /// <summary>
    /// A tar of it, made before anyone else sees the directory: runtimes given it as a bundle's
    /// root make and remove their mount points in it while other tests run, and a tar read then
    /// fails ("file changed as we read it").
    /// </summary>
    public static string Tarball => Path + ".tar";

    private static string Make()
    {
        var root = Directory.CreateTempSubdirectory("busybox-rootfs-").FullName;
        // a root mapped into a user namespace must still reach it
        File.SetUnixFileMode(root, (UnixFileMode)0b111_101_101);
        var result = ProcessRunner.Run(System.IO.Path.Combine(BuildOutput.RepositoryRoot, "tools", "make-busybox-rootfs.sh"), [root]);
        if (!result.Succeeded)
            throw new InvalidOperationException(result.ErrorText);
        PeerImages.Run("tar", "-C", root, "-cf", root + ".tar", ".");
        RunTemporaries.DeleteAtExit(root);
        RunTemporaries.DeleteAtExit(root + ".tar");
        return root;
    }
}
