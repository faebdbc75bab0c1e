using Container.Runtime.Containers;
using Container.Runtime.Logs;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Containers;

/// <summary>The log as the monitor writes it: read whole, in part, and followed.</summary>
[Trait("Category", "Kernel")]
public sealed class LogTests : IDisposable
{
    private readonly TestStore store = new();

    public void Dispose() => store.Dispose();

    private void Start(string name, string script)
    {
        store.Containers.Create(new ContainerSpec { Image = TestStore.Image, Name = name, Command = ["sh", "-c", script] });
        store.Containers.Start(name);
    }

    [Fact]
    public void EntriesCarryTheirStreamAndTime()
    {
        var before = DateTimeOffset.UtcNow;
        Start("streams", "echo out; echo err >&2");
        store.Containers.Wait("streams", TimeSpan.FromSeconds(30));
        var entries = store.Containers.ReadLog("streams").ToList();
        Assert.Equal([(LogStream.Stdout, "out"), (LogStream.Stderr, "err")], entries.Select(e => (e.Stream, e.Text)).OrderBy(e => e.Stream));
        Assert.All(entries, e => Assert.InRange(e.Time, before.AddSeconds(-1), DateTimeOffset.UtcNow));
    }

    [Fact]
    public void TailAndSinceSelect()
    {
        Start("counting", "for i in 1 2 3 4 5; do echo $i; done; sleep 1.2; echo 6; echo 7");
        store.Containers.Wait("counting", TimeSpan.FromSeconds(30));
        var all = store.Containers.ReadLog("counting").ToList();
        Assert.Equal(["1", "2", "3", "4", "5", "6", "7"], all.Select(e => e.Text));
        Assert.Equal(["6", "7"], store.Containers.ReadLog("counting", new LogQuery(Tail: 2)).Select(e => e.Text));
        Assert.Empty(store.Containers.ReadLog("counting", new LogQuery(Tail: 0)));
        var since = all[5].Time.AddMilliseconds(-500);
        Assert.Equal(["6", "7"], store.Containers.ReadLog("counting", new LogQuery(Since: since)).Select(e => e.Text));
        Assert.Equal(["7"], store.Containers.ReadLog("counting", new LogQuery(Tail: 1, Since: since)).Select(e => e.Text));
    }

    [Fact]
    public void TheLogSurvivesARestart()
    {
        Start("twice", "echo run");
        store.Containers.Wait("twice", TimeSpan.FromSeconds(30));
        store.Containers.Start("twice");
        store.Containers.Wait("twice", TimeSpan.FromSeconds(30));
        Assert.Equal(["run", "run"], store.Containers.ReadLog("twice").Select(e => e.Text));
    }

    [Fact]
    public void FollowingYieldsLinesAsTheyComeAndEndsWithTheContainer()
    {
        // "second" is written only once the follower has yielded "first": proof that it streams
        Start("slow", "echo first; until [ -e /tmp/go ]; do sleep 0.05; done; echo second; echo third");
        var seen = new List<string>();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        foreach (var entry in store.Containers.FollowLog("slow", null, cancel.Token))
        {
            seen.Add(entry.Text);
            if (entry.Text == "first")
                store.Containers.Exec("slow", new ExecSpec { Command = ["touch", "/tmp/go"] }, (_, _) => { });
        }
        Assert.False(cancel.IsCancellationRequested, "following did not end with the container");
        Assert.Equal(["first", "second", "third"], seen);
    }

    [Fact]
    public void FollowingStopsOnCancellation()
    {
        Start("forever", "while true; do echo tick; sleep 0.1; done");
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(800));
        var count = store.Containers.FollowLog("forever", new LogQuery(Tail: 0), cancel.Token).Count();
        Assert.InRange(count, 2, 20);
    }

    [Fact]
    public void FollowingCrossesARotationWithoutLosingALine()
    {
        // ~20 MB of records: the 16 MB cap rotates the log once while it is followed
        const int lines = 400_000;
        Start("chatty", $"seq 1 {lines}");
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var expected = 1;
        foreach (var entry in store.Containers.FollowLog("chatty", null, cancel.Token))
        {
            Assert.Equal(expected.ToString(), entry.Text);
            expected++;
        }
        Assert.Equal(lines + 1, expected);
        var log = Path.Combine(store.Containers.Get("chatty").Path, "container.log");
        Assert.True(File.Exists(log + ".1"), "the log never rotated");
        Assert.InRange(new FileInfo(log).Length, 1, Container.Runtime.Monitor.ContainerMonitor.LogMaxSize);
        Assert.Equal(lines, store.Containers.ReadLog("chatty").Count());
    }
}
