using Container.Runtime.Errors;
using Container.Runtime.Linux;
using Xunit;

namespace Container.Tests.Engine;

/// <summary>Whole small files by plain syscalls: pseudo files with no size, files past the first buffer, files that are not there.</summary>
public sealed class SmallFileTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("smallfile-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void APseudoFileIsReadToItsEnd()
    {
        // /proc files report a size of 0
        Assert.Equal(0, new FileInfo("/proc/self/status").Length);
        Assert.Equal(File.ReadAllText("/proc/self/mountinfo"), SmallFile.ReadText("/proc/self/mountinfo"));
        Assert.StartsWith($"{Environment.ProcessId} (", SmallFile.ReadText("/proc/self/stat"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(16 * 1024)]
    [InlineData(100_000)]
    public void EveryByteComesBack(int size)
    {
        var bytes = new byte[size];
        new Random(size).NextBytes(bytes);
        var path = Path.Combine(dir, "data");
        File.WriteAllBytes(path, bytes);
        Assert.Equal(bytes, SmallFile.ReadBytes(path));
    }

    [Fact]
    public void WhatIsNotThereIsNull()
    {
        Assert.Null(SmallFile.ReadBytes(Path.Combine(dir, "missing")));
        Assert.Null(SmallFile.ReadBytes(Path.Combine(dir, "missing", "below")));
        File.WriteAllText(Path.Combine(dir, "file"), "x");
        Assert.Null(SmallFile.ReadBytes(Path.Combine(dir, "file", "below")));
        Assert.Null(SmallFile.ReadText("/proc/999999999/stat"));
    }

    [Fact]
    public void OtherFailuresAreErrors() =>
        // a directory opens, and fails to read (EISDIR)
        Assert.Equal("SystemCallFailed", Assert.Throws<ContainerException>(() => SmallFile.ReadBytes(dir)).ErrorId);
}
