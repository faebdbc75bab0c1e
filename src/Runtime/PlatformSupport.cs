using System.Runtime.InteropServices;

namespace Container.Runtime;

/// <summary>
/// Where the module runs: Linux only (namespaces, cgroups, the native core's syscalls). Import-Module
/// asks this before anything else, so another OS gets one sentence, not a stack trace later.
/// </summary>
public static class PlatformSupport
{
    private static readonly OSPlatform[] Known = [OSPlatform.Linux, OSPlatform.Windows, OSPlatform.OSX, OSPlatform.FreeBSD];

    /// <summary>This process's OS, as one of the platforms .NET names (null for one it does not).</summary>
    /// <remarks>
    /// A loop, not LINQ: every import asks this, and LINQ over a nullable struct is generic code that no
    /// ReadyToRun image holds, JIT-compiled on the import's path.
    /// </remarks>
    public static OSPlatform? CurrentOS
    {
        get
        {
            foreach (var os in Known)
                if (RuntimeInformation.IsOSPlatform(os))
                    return os;
            return null;
        }
    }

    /// <summary>Why the module cannot run on an OS; null when it can (Linux).</summary>
    public static string? UnsupportedReason(OSPlatform? os) =>
        os == OSPlatform.Linux
            ? null
            : $"The Container module is Linux only: it runs containers with the Linux kernel's namespaces and cgroups, and this is {Name(os)}. " +
              "Import it on a Linux host (or in WSL 2 or a Linux VM).";

    private static string Name(OSPlatform? os) =>
        os == OSPlatform.Windows ? "Windows" : os == OSPlatform.OSX ? "macOS" : os == OSPlatform.FreeBSD ? "FreeBSD" : RuntimeInformation.OSDescription;
}
