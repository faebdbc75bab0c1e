using System.Text.RegularExpressions;
using Container.Runtime;
using Container.Runtime.Processes;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Module;

/// <summary>
/// One version everywhere: VERSION at the repository's root is the source; the assemblies, the
/// manifest the build writes (out/Container) and `container-runtime --version` carry it.
/// </summary>
public sealed class VersionTests
{
    private static string SourceVersion => File.ReadAllText(Path.Combine(BuildOutput.RepositoryRoot, "VERSION")).Trim();

    [Fact]
    public void TheVersionFileHoldsAModuleVersion()
    {
        // ModuleVersion takes a System.Version: no prerelease label there
        Assert.Matches(@"^\d+\.\d+\.\d+$", SourceVersion);
    }

    [Fact]
    public void TheAssembliesCarryTheVersion()
    {
        Assert.Equal(SourceVersion, typeof(NativeBinaries).Assembly.GetName().Version!.ToString(3));
        var module = System.Reflection.AssemblyName.GetAssemblyName(Path.Combine(BuildOutput.ModuleOutputDir, "Container.Module.dll"));
        Assert.Equal(SourceVersion, module.Version!.ToString(3));
    }

    [Fact]
    public void TheBuiltManifestCarriesTheVersion()
    {
        var manifest = File.ReadAllText(Path.Combine(BuildOutput.ModuleOutputDir, "Container.psd1"));
        var match = Regex.Match(manifest, @"^\s*ModuleVersion\s*=\s*'([^']*)'", RegexOptions.Multiline);
        Assert.True(match.Success, "no ModuleVersion in out/Container/Container.psd1");
        Assert.Equal(SourceVersion, match.Groups[1].Value);
    }

    [Fact]
    public void TheNativeRuntimeReportsTheVersion()
    {
        var result = ProcessRunner.Run(Path.Combine(BuildOutput.ModuleOutputDir, NativeBinaries.RuntimeName), ["--version"]);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"{NativeBinaries.RuntimeName} version {SourceVersion}", result.StandardOutput.Split('\n')[0].Trim());
    }
}
