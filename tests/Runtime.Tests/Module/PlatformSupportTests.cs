using System.Runtime.InteropServices;
using Container.Runtime;
using Xunit;

namespace Container.Tests.Module;

/// <summary>Import-Module's first decision: Linux runs the module, any other OS gets one "Linux only" sentence.</summary>
public sealed class PlatformSupportTests
{
    [Fact]
    public void LinuxIsSupported() => Assert.Null(PlatformSupport.UnsupportedReason(OSPlatform.Linux));

    [Theory]
    [InlineData("WINDOWS", "Windows")]
    [InlineData("OSX", "macOS")]
    [InlineData("FREEBSD", "FreeBSD")]
    public void AnotherOSIsToldLinuxOnly(string os, string name)
    {
        var reason = PlatformSupport.UnsupportedReason(OSPlatform.Create(os));
        Assert.NotNull(reason);
        Assert.Contains("Linux only", reason);
        Assert.Contains($"this is {name}", reason);
    }

    [Fact]
    public void AnOSDotnetDoesNotNameIsToldLinuxOnlyToo() => Assert.Contains("Linux only", PlatformSupport.UnsupportedReason(null));

    [Fact]
    public void ThisHostIsLinux() => Assert.Equal(OSPlatform.Linux, PlatformSupport.CurrentOS);
}
