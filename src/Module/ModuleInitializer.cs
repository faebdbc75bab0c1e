using System.Management.Automation;
using Container.Runtime;

namespace Container.Module;

/// <summary>Import-Module: the engine's start-up work begun in the background (StartupWarmUp says why).</summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer
{
    public void OnImport() => StartupWarmUp.Start();
}
