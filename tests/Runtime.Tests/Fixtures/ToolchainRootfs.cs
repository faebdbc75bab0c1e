using Container.Runtime.Processes;

namespace Container.Tests.Fixtures;

/// <summary>A root filesystem that compiles C (tools/make-toolchain-rootfs.sh, from the host's gcc), made once per test run.</summary>
public static class ToolchainRootfs
{
    private static readonly Lazy<(string? Path, string? Unavailable)> Built = new(Make);

    public static string Path => Built.Value.Path ?? throw new InvalidOperationException(Built.Value.Unavailable);

    /// <summary>Why there is none (the host has no gcc), or null.</summary>
    public static string? Unavailable => Built.Value.Unavailable;

    private static (string?, string?) Make()
    {
        if (!File.Exists("/usr/bin/gcc"))
            return (null, "gcc is not installed (apt-get install gcc): no image can compile");
        var root = Directory.CreateTempSubdirectory("toolchain-rootfs-").FullName;
        RunTemporaries.DeleteAtExit(root);
        var result = ProcessRunner.Run(System.IO.Path.Combine(BuildOutput.RepositoryRoot, "tools", "make-toolchain-rootfs.sh"), [root]);
        return result.Succeeded ? (root, null) : throw new InvalidOperationException(result.ErrorText);
    }
}
