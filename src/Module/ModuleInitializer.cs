using System.Management.Automation;
using Container.Runtime;

namespace Container.Module;

/// <summary>
/// Import-Module: on an OS other than Linux, one clear error and no module (PowerShell shows the
/// exception's ErrorRecord as Import-Module's error and imports nothing). The engine's start-up
/// work (StartupWarmUp) is begun by the first cmdlet, not here: begun here it took the CPU from
/// the rest of the import (a new session's Import-Module took 13 ms longer on two cores) and
/// saved the first container nothing.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer
{
    public void OnImport()
    {
        if (PlatformSupport.UnsupportedReason(PlatformSupport.CurrentOS) is { } reason)
            throw new LinuxOnlyException(reason);
    }
}

/// <summary>The import's error on another OS, as an ErrorRecord PowerShell shows as it is.</summary>
public sealed class LinuxOnlyException(string message) : PlatformNotSupportedException(message), IContainsErrorRecord
{
    public ErrorRecord ErrorRecord => new(this, "LinuxOnly", ErrorCategory.NotImplemented, PlatformSupport.CurrentOS?.ToString());
}
