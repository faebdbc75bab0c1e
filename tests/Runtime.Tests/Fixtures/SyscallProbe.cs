using Container.Runtime.Processes;

namespace Container.Tests.Fixtures;

/// <summary>
/// syscall-probe.c, built static once per test run (gcc is the native core's toolchain): a
/// program that makes real system calls in a container, which busybox's applets cannot
/// name, and prints what each answered ("getrandom ok", "kexec_load EPERM").
/// </summary>
public static class SyscallProbe
{
    private static readonly Lazy<string> Built = new(Make);

    /// <summary>The directory that holds the probe alone (to bind into a container).</summary>
    public static string Directory => System.IO.Path.GetDirectoryName(Built.Value)!;

    public static string Path => Built.Value;

    public const string FileName = "syscall-probe";

    private static string Make()
    {
        var dir = System.IO.Directory.CreateTempSubdirectory("syscall-probe-").FullName;
        RunTemporaries.DeleteAtExit(dir);
        File.SetUnixFileMode(dir, (UnixFileMode)0b111_101_101);
        var probe = System.IO.Path.Combine(dir, FileName);
        var source = System.IO.Path.Combine(BuildOutput.RepositoryRoot, "tests", "Runtime.Tests", "Fixtures", "syscall-probe.c");
        var result = ProcessRunner.Run("gcc", ["-static", "-O2", "-Wall", "-o", probe, source]);
        if (!result.Succeeded)
            throw new InvalidOperationException($"gcc could not build the syscall probe: {result.StandardError}");
        return probe;
    }

    /// <summary>Each call's answer, by name, from the probe's output.</summary>
    public static Dictionary<string, string> Parse(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ', 2)).ToDictionary(p => p[0], p => p[1]);
}
