using Container.Runtime.Compose;
using Container.Runtime.Logs;
using Xunit;

namespace Container.Tests.Compose;

/// <summary>Several containers' logs as one: by time across them, each one's own order kept; followed, one that may still give an earlier entry holds the others back.</summary>
public sealed class LogMergeTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    private static ProjectLogEntry Entry(string service, int second, string text) =>
        new(service, 1, $"p-{service}-1", Start.AddSeconds(second), LogStream.Stdout, text);

    [Fact]
    public void ByTimeTakesTheEarliestHeadATieToTheLogGivenFirstAndKeepsEachLogsOrder()
    {
        var a = new[] { Entry("a", 1, "a1"), Entry("a", 3, "a3"), Entry("a", 2, "a2 written after a3") };
        var b = new[] { Entry("b", 0, "b0"), Entry("b", 3, "b3") };

        var merged = LogMerge.ByTime([a, b, []]).Select(e => e.Text);

        Assert.Equal(["b0", "a1", "a3", "a2 written after a3", "b3"], merged);
    }

    [Fact]
    public void AFollowedLogNotCaughtUpHoldsBackTheOthersAndTheBacklogsComeMergedByTime()
    {
        using var slowMayGo = new ManualResetEventSlim();
        using var aCaughtUp = new ManualResetEventSlim();
        using var merge = new LiveLogMerge(CancellationToken.None);
        merge.Add((caughtUp, _) => Backlog(() => { caughtUp(); aCaughtUp.Set(); }, null, Entry("a", 1, "a1"), Entry("a", 3, "a3")), _ => false);
        merge.Add((caughtUp, _) => Backlog(caughtUp, slowMayGo, Entry("b", 2, "b2")), _ => false);

        // a has given all it has; b has given nothing and not said it is caught up: a1 may not be the earliest
        Assert.True(aCaughtUp.Wait(TimeSpan.FromSeconds(30)), "a never caught up");
        Assert.Null(merge.Next(TimeSpan.Zero));
        Assert.False(merge.Ended);

        slowMayGo.Set();
        var texts = new List<string>();
        while (merge.Next(TimeSpan.FromSeconds(10)) is { } entry)
            texts.Add(entry.Text);
        Assert.Equal(["a1", "b2", "a3"], texts);
        Assert.True(merge.Ended);
    }

    [Fact]
    public void AnErrorOfAFollowerEndsTheMergeUnlessItEndsQuietly()
    {
        using var merge = new LiveLogMerge(CancellationToken.None);
        merge.Add((_, _) => Failing("gone"), _ => true);
        merge.Add((caughtUp, _) => Backlog(caughtUp, null, Entry("a", 1, "a1")), _ => false);
        Assert.Equal("a1", merge.Next(TimeSpan.FromSeconds(10))?.Text);
        Assert.Null(merge.Next(TimeSpan.FromSeconds(10)));
        Assert.True(merge.Ended);

        using var failing = new LiveLogMerge(CancellationToken.None);
        failing.Add((_, _) => Failing("broken"), _ => false);
        Assert.Equal("broken", Assert.Throws<InvalidOperationException>(() => failing.Next(TimeSpan.FromSeconds(10))).Message);
    }

    /// <summary>What a follower gives: its entries once it may, then that it is caught up, then its end.</summary>
    private static IEnumerable<ProjectLogEntry> Backlog(Action caughtUp, ManualResetEventSlim? mayGo, params ProjectLogEntry[] entries)
    {
        mayGo?.Wait();
        foreach (var entry in entries)
            yield return entry;
        caughtUp();
    }

    private static IEnumerable<ProjectLogEntry> Failing(string message)
    {
        if (message.Length > 0)
            throw new InvalidOperationException(message);
        yield break;
    }
}
