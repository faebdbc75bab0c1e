using System.Text.RegularExpressions;
using Container.Runtime.Processes;

namespace Container.Runtime;

/// <summary>
/// The shared libraries the native binaries take from the host: glibc everywhere, and libnftables
/// for the network helper (no distribution ships it static; libseccomp is linked in). A host
/// without one gets an error that names it and the package that provides it, not the dynamic
/// loader's line.
/// </summary>
public static partial class NativeLibraries
{
    /// <summary>The dynamic loader's exit code when it cannot start a binary.</summary>
    private const int LoaderExitCode = 127;

    /// <summary>The packages that provide a library, by the start of its file name.</summary>
    private static readonly (string Prefix, string Packages)[] Providers =
    [
        ("libnftables.so", "libnftables1 on Debian and Ubuntu, nftables on Fedora and Arch"),
        ("libseccomp.so", "libseccomp2 on Debian and Ubuntu, libseccomp on Fedora and Arch"),
    ];

    [GeneratedRegex(@"error while loading shared libraries: (?<library>[^:\s]+): cannot open shared object file")]
    private static partial Regex LoaderError();

    /// <summary>The library the dynamic loader could not find for a binary's run, or null.</summary>
    public static string? Missing(ProcessResult result)
    {
        if (result.ExitCode != LoaderExitCode)
            return null;
        var match = LoaderError().Match(result.StandardError);
        return match.Success ? match.Groups["library"].Value : null;
    }

    /// <summary>The NotInstalled error for a run that lacked a library, or null for any other result.</summary>
    public static Errors.ContainerException? MissingError(string binary, ProcessResult result)
    {
        if (Missing(result) is not { } library)
            return null;
        var packages = Providers.FirstOrDefault(p => library.StartsWith(p.Prefix, StringComparison.Ordinal)).Packages;
        return Errors.Errors.NotInstalled(library,
            $"{Path.GetFileName(binary)} needs it" + (packages is null ? ": install the package of your distribution that provides it." : $": install {packages}."));
    }
}
