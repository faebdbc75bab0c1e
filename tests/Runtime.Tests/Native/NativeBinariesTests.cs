using System.Runtime.InteropServices;
using Container.Runtime;
using Container.Runtime.Errors;
using Xunit;

namespace Container.Tests.Native;

/// <summary>
/// Which native binaries the module runs: a package's runtimes/linux-&lt;arch&gt; folder for the host's
/// architecture, a build's own next to the assembly; and a package install that lost the execute
/// bits (a .nupkg keeps no modes) gets them back.
/// </summary>
public sealed class NativeBinariesTests : IDisposable
{
    private readonly string _module = Directory.CreateTempSubdirectory("native-binaries-").FullName;

    public void Dispose() => Directory.Delete(_module, recursive: true);

    [Theory]
    [InlineData(Architecture.X64, "linux-x64")]
    [InlineData(Architecture.Arm64, "linux-arm64")]
    public void APackagePicksTheFolderOfTheHostsArchitecture(Architecture architecture, string folder)
    {
        Directory.CreateDirectory(Path.Combine(_module, "runtimes", "linux-x64"));
        Directory.CreateDirectory(Path.Combine(_module, "runtimes", "linux-arm64"));
        Assert.Equal(Path.Combine(_module, "runtimes", folder), NativeBinaries.Locate(_module, architecture));
    }

    [Fact]
    public void ABuildsModuleFolderHoldsItsHostsBinariesItself() =>
        Assert.Equal(_module, NativeBinaries.Locate(_module, Architecture.Arm64));

    [Fact]
    public void AnArchitectureThePackageDoesNotShipIsNamedWithThoseItDoes()
    {
        Directory.CreateDirectory(Path.Combine(_module, "runtimes", "linux-x64"));
        Directory.CreateDirectory(Path.Combine(_module, "runtimes", "linux-arm64"));
        var directory = NativeBinaries.Locate(_module, Architecture.RiscV64);
        var e = Assert.Throws<ContainerException>(() => NativeBinaries.Require(directory, NativeBinaries.RuntimeName, Architecture.RiscV64));
        Assert.Equal("NotInstalled", e.ErrorId);
        Assert.Contains("(linux-riscv64): it ships linux-arm64, linux-x64", e.Message);
    }

    [Fact]
    public void ABinaryThatLostItsExecuteBitsGetsThemBack()
    {
        var directory = Path.Combine(_module, "runtimes", "linux-x64");
        Directory.CreateDirectory(directory);
        var binary = Path.Combine(directory, NativeBinaries.RuntimeName);
        File.WriteAllText(binary, "#!/bin/sh\n");
        File.SetUnixFileMode(binary, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        Assert.Equal(binary, NativeBinaries.Require(directory, NativeBinaries.RuntimeName, Architecture.X64));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherExecute, File.GetUnixFileMode(binary));
    }

    [Fact]
    public void ExecuteBitsFollowTheReadBits()
    {
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserExecute, NativeBinaries.ExecutableMode(UnixFileMode.UserRead));
        Assert.Null(NativeBinaries.ExecutableMode(UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute));
    }
}
