using Container.Runtime.Processes;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Native;

/// <summary>The native core's own C unit tests (json, spec, cgroup, rootfs), run by CTest.</summary>
[Trait("Category", "Kernel")]
public sealed class NativeUnitTests
{
    [Fact]
    public void CTestPasses()
    {
        var result = ProcessRunner.Run("ctest", ["--test-dir", BuildOutput.NativeBuildDir, "--output-on-failure"], timeout: TimeSpan.FromMinutes(5));
        Assert.True(result.Succeeded, result.StandardOutput + result.StandardError);
        Assert.Contains("100% tests passed", result.StandardOutput);
    }
}
