using System.Runtime.InteropServices;

namespace Container.Runtime;

/// <summary>
/// The native core's binaries, which ship with this assembly: in a build's module folder
/// (out/Container) the host's own build next to it; in the package (tools/New-ModulePackage.ps1)
/// one folder per architecture, runtimes/linux-x64 and runtimes/linux-arm64, of which the host's
/// architecture picks one.
/// </summary>
public static class NativeBinaries
{
    public const string RuntimeName = "container-runtime";
    public const string MonitorName = "container-monitor";
    public const string InitName = "container-init";
    public const string NetworkName = "container-network";

    /// <summary>The folder of a package's per-architecture binaries, under the module's.</summary>
    public const string RuntimesFolder = "runtimes";

    public static IReadOnlyList<string> Names { get; } = [RuntimeName, MonitorName, InitName, NetworkName];

    /// <summary>The folder this assembly was loaded from: the module's.</summary>
    public static string ModuleDirectory => Path.GetDirectoryName(typeof(NativeBinaries).Assembly.Location) ?? AppContext.BaseDirectory;

    public static string Directory => Locate(ModuleDirectory, RuntimeInformation.OSArchitecture);

    public static string RuntimePath => Require(RuntimeName);

    public static string MonitorPath => Require(MonitorName);

    /// <summary>The init a container run with -Init has as pid 1 (docker's --init).</summary>
    public static string InitPath => Require(InitName);

    /// <summary>The helper that sets a container's bridge networking up and tears it down.</summary>
    public static string NetworkPath => Require(NetworkName);

    /// <summary>The runtime identifier of an architecture's folder: linux-x64, linux-arm64, ...</summary>
    public static string RuntimeIdentifier(Architecture architecture) => "linux-" + architecture.ToString().ToLowerInvariant();

    /// <summary>
    /// Where a module folder keeps the binaries for an architecture: runtimes/linux-&lt;arch&gt; when it
    /// has a runtimes folder (the package), else the module folder itself (a build, for its host).
    /// </summary>
    public static string Locate(string moduleDirectory, Architecture architecture)
    {
        var runtimes = Path.Combine(moduleDirectory, RuntimesFolder);
        return System.IO.Directory.Exists(runtimes) ? Path.Combine(runtimes, RuntimeIdentifier(architecture)) : moduleDirectory;
    }

    /// <summary>
    /// A binary's mode with the execute bits its read bits allow, or null when it has them already:
    /// a zip (the .nupkg) keeps no modes, so a package's install may leave the binaries 0644.
    /// </summary>
    public static UnixFileMode? ExecutableMode(UnixFileMode mode)
    {
        var wanted = mode | UnixFileMode.UserExecute;
        if (mode.HasFlag(UnixFileMode.GroupRead)) wanted |= UnixFileMode.GroupExecute;
        if (mode.HasFlag(UnixFileMode.OtherRead)) wanted |= UnixFileMode.OtherExecute;
        return wanted == mode ? null : wanted;
    }

    private static string Require(string name) => Require(Directory, name, RuntimeInformation.OSArchitecture);

    internal static string Require(string directory, string name, Architecture architecture)
    {
        var path = Path.Combine(directory, name);
        if (!File.Exists(path))
        {
            var shipped = System.IO.Directory.Exists(Path.GetDirectoryName(directory))
                && Path.GetFileName(Path.GetDirectoryName(directory)) == RuntimesFolder
                ? System.IO.Directory.GetDirectories(Path.GetDirectoryName(directory)!).Select(Path.GetFileName).Order().ToArray()
                : null;
            throw shipped is { Length: > 0 } && !shipped.Contains(RuntimeIdentifier(architecture))
                ? Errors.Errors.NotInstalled(path, $"The module has no native binaries for this host's architecture ({RuntimeIdentifier(architecture)}): it ships {string.Join(", ", shipped)}.")
                : Errors.Errors.NotInstalled(path, "The module is incomplete: rebuild it (dotnet build) or reinstall it.");
        }
        MakeExecutable(path);
        return path;
    }

    private static void MakeExecutable(string path)
    {
        if (ExecutableMode(File.GetUnixFileMode(path)) is not { } mode)
            return;
        try
        {
            File.SetUnixFileMode(path, mode);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw Errors.Errors.NotInstalled(path,
                $"It is not executable, and this user may not make it so ({e.Message}): have its owner run chmod +x on the files of {Path.GetDirectoryName(path)}, or reinstall the module as this user.");
        }
    }
}
