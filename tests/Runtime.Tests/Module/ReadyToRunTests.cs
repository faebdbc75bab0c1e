using System.Reflection.PortableExecutable;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Module;

/// <summary>
/// The module's engine and cmdlets as a new pwsh session loads them: compiled ahead of time
/// (ReadyToRun) in a format the runtime these tests and pwsh 7.6 run on uses, so that the import
/// and the first cmdlet call do not wait for the JIT. A runtime ignores ReadyToRun code of another format version (.NET 10 ignores
/// what .NET 8's Crossgen2 writes), silently: only the format says whether the code is used.
/// </summary>
public sealed class ReadyToRunTests
{
    private const uint ReadyToRunSignature = 0x00525452; // "RTR"

    [SkippableFact]
    public void TheModulesEngineIsReadyToRunForThisRuntime()
    {
        Skip.IfNot(BuildOutput.ModuleReadyToRun, "the build compiles ReadyToRun code on x64 Linux hosts only");
        var engine = ReadyToRunMajorVersion(Path.Combine(BuildOutput.ModuleOutputDir, "Container.Runtime.dll"));
        Assert.True(engine != null, "the module's Container.Runtime.dll has no ReadyToRun code");
        // the framework's own assemblies are compiled in the format this runtime reads
        Assert.Equal(ReadyToRunMajorVersion(typeof(object).Assembly.Location), engine);
    }

    [SkippableFact]
    public void TheModulesCmdletsAreReadyToRunForThisRuntime()
    {
        Skip.IfNot(BuildOutput.ModuleReadyToRun, "the build compiles ReadyToRun code on x64 Linux hosts only");
        var cmdlets = ReadyToRunMajorVersion(Path.Combine(BuildOutput.ModuleOutputDir, "Container.Module.dll"));
        Assert.True(cmdlets != null, "the module's Container.Module.dll has no ReadyToRun code");
        Assert.Equal(ReadyToRunMajorVersion(typeof(object).Assembly.Location), cmdlets);
    }

    /// <summary>The major version of an assembly's ReadyToRun header; null for IL only.</summary>
    private static int? ReadyToRunMajorVersion(string path)
    {
        using var pe = new PEReader(File.OpenRead(path));
        var header = pe.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory;
        if (header.Size == 0)
            return null;
        var reader = pe.GetSectionData(header.RelativeVirtualAddress).GetReader();
        Assert.Equal(ReadyToRunSignature, reader.ReadUInt32());
        return reader.ReadUInt16();
    }
}
