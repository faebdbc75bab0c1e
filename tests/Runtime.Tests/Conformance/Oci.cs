using Container.Runtime;
using Container.Runtime.Processes;
using Container.Runtime.Oci;
using Container.Tests.Fixtures;

namespace Container.Tests.Conformance;

/// <summary>
/// The OCI runtimes under comparison, as command lines: ours, runc, and crun. crun 1.8
/// refuses hybrid cgroup hosts whose cgroup2 mount lists controllers; on such a host it
/// runs in a private mount namespace where that list is hidden (never on the host).
/// </summary>
public static class Oci
{
    public const string Ours = "ours";
    public const string Runc = "runc";
    public const string Crun = "crun";

    public static readonly string[] Peers = [Runc, Crun];

    private static readonly Lazy<string> CrunWrapper = new(MakeCrunWrapper);

    /// <summary>The program and leading arguments that run the named runtime.</summary>
    public static string[] Command(string runtime) => runtime switch
    {
        Ours => [NativeBinaries.RuntimePath],
        Runc => ["runc"],
        Crun => [CrunWrapper.Value],
        _ => throw new ArgumentException(runtime),
    };

    /// <summary>A path the engine can take as its runtime (Runtime = path).</summary>
    public static string Path(string runtime) => runtime == Crun ? CrunWrapper.Value : Command(runtime)[0];

    public static ProcessResult Invoke(string runtime, string root, IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        var command = Command(runtime);
        return ProcessRunner.Run(command[0], [.. command[1..], "--root", root, .. arguments], timeout: timeout ?? TimeSpan.FromMinutes(1));
    }

    private static string MakeCrunWrapper()
    {
        var dir = Directory.CreateTempSubdirectory("crun-wrapper-").FullName;
        Fixtures.RunTemporaries.DeleteAtExit(dir);
        var empty = System.IO.Path.Combine(dir, "empty");
        File.WriteAllText(empty, "");
        var wrapper = System.IO.Path.Combine(dir, "crun");
        File.WriteAllText(wrapper, $$"""
            #!/bin/sh
            controllers=/sys/fs/cgroup/unified/cgroup.controllers
            if [ -e "$controllers" ]; then
                exec unshare -m --propagation private sh -c 'mount --bind "$0" "$1" && mount -o remount,bind,ro "$1" && shift && exec crun "$@"' {{empty}} "$controllers" "$@"
            fi
            exec crun "$@"
            """);
        File.SetUnixFileMode(wrapper, (UnixFileMode)0b111_101_101);
        return wrapper;
    }
}
