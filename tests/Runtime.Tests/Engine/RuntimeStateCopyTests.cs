using Container.Runtime.Oci;
using Xunit;

namespace Container.Tests.Engine;

/// <summary>The monitor's copy of a runtime's state, put back whole or not at all.</summary>
public sealed class RuntimeStateCopyTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("runtime-state-copy-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string Copy => Path.Combine(dir, "container", "runtime-state");

    private string Root => Path.Combine(dir, "run");

    [Fact]
    public void AMissingStateIsPutBackFromTheCopy()
    {
        Directory.CreateDirectory(Copy);
        File.WriteAllText(Path.Combine(Copy, "state.json"), "{\"pid\":42}");

        RuntimeStateCopy.PutBack(Copy, Root, "abc");

        Assert.Equal("{\"pid\":42}", File.ReadAllText(Path.Combine(Root, "abc", "state.json")));
        Assert.Equal(["abc"], Directory.EnumerateFileSystemEntries(Root).Select(Path.GetFileName));
    }

    [Fact]
    public void ACopyThatGoesWhileItIsReadIsNotPutBack()
    {
        // a file of the copy gone between the listing and its read, as when the monitor drops
        // the copy of a run that ended meanwhile (a dangling link fails the read the same way)
        Directory.CreateDirectory(Copy);
        File.WriteAllText(Path.Combine(Copy, "config.json"), "{}");
        File.CreateSymbolicLink(Path.Combine(Copy, "state.json"), Path.Combine(dir, "gone"));

        RuntimeStateCopy.PutBack(Copy, Root, "abc");

        Assert.Empty(Directory.EnumerateFileSystemEntries(Root));
    }
}
