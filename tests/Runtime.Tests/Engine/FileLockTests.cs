using Container.Runtime.Errors;
using Container.Runtime.Storage;
using Xunit;

namespace Container.Tests.Engine;

/// <summary>flock as the store's locks use it: taken, refused while held, free again with its holder gone.</summary>
public sealed class FileLockTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("filelock-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void TryAcquireIsRefusedOnlyWhileAnotherHoldsTheLock()
    {
        var path = Path.Combine(dir, "a.lock");
        // flock belongs to an open file: a second open in this process contends as another process would
        using (var held = FileLock.Acquire(path))
        {
            Assert.Null(FileLock.TryAcquire(path));
            Assert.True(FileLock.IsHeld(path));
        }
        using var taken = FileLock.TryAcquire(path);
        Assert.NotNull(taken);
    }

    [Fact]
    public void ASharedHolderKeepsTheExclusiveLockAway()
    {
        var path = Path.Combine(dir, "b.lock");
        using (FileLock.Acquire(path, shared: true))
            Assert.Null(FileLock.TryAcquire(path));
        Assert.False(FileLock.IsHeld(path));
    }

    [Fact]
    public void ALockFileThatCannotBeMadeIsAnError()
    {
        var path = Path.Combine(dir, "missing", "c.lock");
        var failed = Assert.Throws<ContainerException>(() => FileLock.TryAcquire(path));
        Assert.Equal("SystemCallFailed", failed.ErrorId);
        Assert.Equal(path, failed.Target);
    }
}
