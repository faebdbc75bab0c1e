using Container.Runtime.Linux;
using Container.Runtime.Logs;
using Xunit;

namespace Container.Tests.Engine;

/// <summary>
/// Following a log wakes on what changes instead of sleeping a poll interval: the watch on a
/// container's directory reports a log that grows, and the follower waits only on it.
/// </summary>
public sealed class LogFollowTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("log-follow-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string Log => Path.Combine(dir, "container.log");

    private void Append(string stream, string text) =>
        File.AppendAllText(Log, $"{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ss.fffffffZ} {stream} F {text}\n");

    [Fact]
    public void AWriteToAFileWakesAWatchThatAsksForWrites()
    {
        // held open, as the monitor holds its log: a write, not a close, is the change
        using var log = new FileStream(Log, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        using var writes = DirectoryWatch.Open(dir, writes: true);
        using var recordsOnly = DirectoryWatch.Open(dir);

        log.Write("2026-12-01T13:00:00.000000000Z stdout F line\n"u8);
        log.Flush();

        Assert.True(writes.Wait(TimeSpan.FromSeconds(10)));
        Assert.False(recordsOnly.Wait(TimeSpan.Zero));
    }

    [Fact]
    public void ARecordRenamedInWakesEitherWatch()
    {
        using var writes = DirectoryWatch.Open(dir, writes: true);
        using var recordsOnly = DirectoryWatch.Open(dir);

        File.WriteAllText(Path.Combine(dir, "exit.json.tmp"), "{}");
        File.Move(Path.Combine(dir, "exit.json.tmp"), Path.Combine(dir, "exit.json"));

        Assert.True(writes.Wait(TimeSpan.FromSeconds(10)));
        Assert.True(recordsOnly.Wait(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void FollowWaitsOnlyWithTheWaitItIsGivenAndLosesNothingAtTheEnd()
    {
        Append("stdout", "before");
        var writing = true;
        var waits = 0;
        // each wait is where the container writes on: the follower must read after it, not sleep
        void WaitForChange(TimeSpan _)
        {
            waits++;
            if (waits == 1)
                Append("stderr", "during");
            else
            {
                Append("stdout", "last words");
                writing = false;
            }
        }

        var entries = ContainerLog.Follow(Log, null, () => writing, WaitForChange, CancellationToken.None).ToList();

        Assert.Equal([(LogStream.Stdout, "before"), (LogStream.Stderr, "during"), (LogStream.Stdout, "last words")],
            entries.Select(e => (e.Stream, e.Text)));
        Assert.Equal(2, waits);
    }
}
