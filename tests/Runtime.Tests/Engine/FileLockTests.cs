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
    public async Task AWaitForADirectoryLastsWhileAnotherHoldsItExclusivelyAndNotAtAllForNoDirectory()
    {
        var mountPoint = Directory.CreateDirectory(Path.Combine(dir, "rootfs")).FullName;
        // as a monitor holds its container's mount point until the run's overlay is gone
        var fd = Container.Runtime.Linux.Libc.Open(mountPoint, Container.Runtime.Linux.Libc.O_RDONLY | Container.Runtime.Linux.Libc.O_DIRECTORY, 0);
        Assert.True(fd >= 0);
        Assert.Equal(0, Container.Runtime.Linux.Libc.Flock(fd, Container.Runtime.Linux.Libc.LOCK_EX));
        var waiting = Task.Run(() => FileLock.WaitForDirectory(mountPoint));
        try
        {
            Assert.NotSame(waiting, await Task.WhenAny(waiting, Task.Delay(TimeSpan.FromMilliseconds(300))));
        }
        finally
        {
            Container.Runtime.Linux.Libc.Close(fd);
        }
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        FileLock.WaitForDirectory(Path.Combine(dir, "no-such-directory"));
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
