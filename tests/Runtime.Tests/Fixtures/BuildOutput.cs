using System.Reflection;

namespace Container.Tests.Fixtures;

/// <summary>Paths the build hands the tests.</summary>
public static class BuildOutput
{
    private static string Metadata(string key) =>
        typeof(BuildOutput).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"no {key} in the test assembly");

    public static string RepositoryRoot => Metadata("RepositoryRoot");

    public static string NativeBuildDir => Metadata("NativeBuildDir");

    public static string PowerShellStandardDir => Metadata("PowerShellStandardDir");

    public static string OutputDir => AppContext.BaseDirectory;

    /// <summary>The importable module the build assembles (out/Container).</summary>
    public static string ModuleOutputDir => Metadata("ModuleOutputDir");

    /// <summary>Whether this host's build compiles the module's engine ReadyToRun (x64 Linux).</summary>
    public static bool ModuleReadyToRun => Metadata("ModuleReadyToRun") == "true";
}
