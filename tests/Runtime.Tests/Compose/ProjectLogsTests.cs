using System.Collections.Concurrent;
using Container.Runtime.Compose;
using Container.Runtime.Errors;
using Container.Runtime.Logs;
using Container.Tests.Fixtures;
using Container.Tests.Networks;
using Xunit;

namespace Container.Tests.Compose;

/// <summary>A project's logs as one stream on the real driver: merged by time, selected by service and tail, followed until its containers end, taking up one made anew.</summary>
[Trait("Category", "Kernel")]
public sealed class ProjectLogsTests : IDisposable
{
    private readonly ComposeDirectory directory = new();

    public void Dispose() => directory.Dispose();

    /// <summary>
    /// a, b, then a again, each line written once the one before is in its log (the test gives
    /// the turns through the volume both mount): a's log holds its two lines before b's one.
    /// </summary>
    private static readonly string Turns = $$"""
        name: turns
        services:
          a:
            image: {{TestStore.Image}}
            command: ["sh", "-c", "echo one; until [ -f /turns/three ]; do sleep 0.05; done; echo three >&2"]
            network_mode: none
            volumes: ["turns:/turns"]
          b:
            image: {{TestStore.Image}}
            command: ["sh", "-c", "until [ -f /turns/two ]; do sleep 0.05; done; echo two"]
            network_mode: none
            volumes: ["turns:/turns"]
          idle:
            image: {{TestStore.Image}}
            command: ["true"]
            network_mode: none
            deploy: { replicas: 0 }
        volumes:
          turns: {}
        """;

    private static ProjectSelection Named(string name) => new("/", null, [], name);

    private ProjectSelection FromFile() => new(directory.Path, null, [], null);

    [SkippableFact]
    public void ReadMergesTheContainersLogsByTimeSelectsServicesByNameOrWildcardAndTailsEachContainer()
    {
        using var host = KernelEngineHost.Create();
        var made = host.Engine.Projects.Up(directory.LoadYaml(Turns), new ProjectUpOptions(), _ => { });
        var turns = host.Engine.Volumes.DataPath("turns_turns");
        void TurnOnceLogged(string container, string line, string turn)
        {
            host.WaitUntil(() => host.Containers.ReadLog(container).Any(e => e.Text == line), $"{container} to write {line}");
            File.WriteAllText(Path.Combine(turns, turn), "");
        }
        TurnOnceLogged("turns-a-1", "one", "two");
        TurnOnceLogged("turns-b-1", "two", "three");
        foreach (var container in made)
            host.Containers.Wait(container.Id, TimeSpan.FromSeconds(30));
        var logs = host.Engine.ProjectLogs;

        var all = logs.Read(Named("turns"), [], new LogQuery());
        Assert.Equal(["one", "two", "three"], all.Select(e => e.Text));
        Assert.Equal(["a", "b", "a"], all.Select(e => e.Service));
        Assert.Equal(["turns-a-1", "turns-b-1", "turns-a-1"], all.Select(e => e.Container));
        Assert.Equal([1, 1, 1], all.Select(e => e.Number));
        Assert.Equal([LogStream.Stdout, LogStream.Stdout, LogStream.Stderr], all.Select(e => e.Stream));
        Assert.True(all[0].Time <= all[1].Time && all[1].Time <= all[2].Time);

        Assert.Equal(["two"], logs.Read(Named("turns"), ["b"], new LogQuery()).Select(e => e.Text));
        Assert.Equal(["one", "three"], logs.Read(Named("turns"), ["[a]*"], new LogQuery()).Select(e => e.Text));
        Assert.Empty(logs.Read(Named("turns"), ["nothing*"], new LogQuery()));
        // a service the file declares that has no container shows nothing; one it does not is an error
        Assert.Empty(logs.Read(FromFile(), ["idle"], new LogQuery()));
        var error = Assert.Throws<ContainerException>(() => logs.Read(Named("turns"), ["idle"], new LogQuery()));
        Assert.Equal(("ComposeServiceNotFound", ErrorKind.ObjectNotFound), (error.ErrorId, error.Kind));
        Assert.Equal("ComposeServiceNotFound", Assert.Throws<ContainerException>(() => logs.Read(FromFile(), ["a", "c"], new LogQuery())).ErrorId);

        // the last entry of each container, still in time order
        Assert.Equal(["two", "three"], logs.Read(FromFile(), [], new LogQuery(Tail: 1)).Select(e => e.Text));
        Assert.Equal(["three"], logs.Read(FromFile(), [], new LogQuery(Since: all[2].Time)).Select(e => e.Text));

        host.Engine.Projects.Down("turns", removeVolumes: true, _ => { });
    }

    [SkippableFact]
    public void FollowGoesOnWithWhatTheContainersWriteAndEndsOnceEveryOneHasExited()
    {
        using var host = KernelEngineHost.Create();
        host.Engine.Projects.Up(directory.LoadYaml($$"""
            name: live
            services:
              quick:
                image: {{TestStore.Image}}
                command: ["echo", "quick is done"]
                network_mode: none
              waiter:
                image: {{TestStore.Image}}
                command: ["sh", "-c", "echo before; until [ -f /control/go ]; do sleep 0.05; done; echo after"]
                network_mode: none
                volumes: ["control:/control"]
            volumes:
              control: {}
            """), new ProjectUpOptions(), _ => { });

        using var followed = new Followed(host.Engine.ProjectLogs.Follow(Named("live"), [], new LogQuery(), CancellationToken.None));
        var seen = new List<ProjectLogEntry>();
        while (!seen.Any(e => e.Text == "before"))
            seen.Add(followed.Next());
        File.WriteAllText(Path.Combine(host.Engine.Volumes.DataPath("live_control"), "go"), "");
        seen.AddRange(followed.ToEnd());

        // quick's line comes before waiter's or between them, as it was written: each once
        Assert.Equal(["after", "before", "quick is done"], seen.Select(e => e.Text).Order(StringComparer.Ordinal));
        Assert.Equal(["before", "after"], seen.Where(e => e.Service == "waiter").Select(e => e.Text));
        Assert.Equal("quick", Assert.Single(seen, e => e.Text == "quick is done").Service);
        host.Engine.Projects.Down("live", removeVolumes: true, _ => { });
    }

    [SkippableFact]
    public void FollowTakesUpAContainerMadeAnewAndCancellationEndsIt()
    {
        using var host = KernelEngineHost.Create();
        string App(string greeting) => $$"""
            name: remade
            services:
              app:
                image: {{TestStore.Image}}
                command: ["sh", "-c", "trap 'exit 0' TERM; echo $$GREETING; while true; do sleep 0.1; done"]
                environment: { GREETING: {{greeting}} }
                network_mode: none
            """;
        var first = Assert.Single(host.Engine.Projects.Up(directory.LoadYaml(App("first")), new ProjectUpOptions(), _ => { }));
        using var cancellation = new CancellationTokenSource();
        using var followed = new Followed(host.Engine.ProjectLogs.Follow(Named("remade"), [], new LogQuery(), cancellation.Token));
        Assert.Equal("first", followed.Next().Text);

        var second = Assert.Single(host.Engine.Projects.Up(directory.LoadYaml(App("second")), new ProjectUpOptions(), _ => { }));
        Assert.NotEqual(first.Id, second.Id);
        var next = followed.Next();
        Assert.Equal(("second", "app", "remade-app-1"), (next.Text, next.Service, next.Container));

        cancellation.Cancel();
        Assert.Empty(followed.ToEnd());
        host.Engine.Projects.Down("remade", removeVolumes: false, _ => { });
    }

    /// <summary>A follow enumerated on a thread of its own, its entries taken as they come.</summary>
    private sealed class Followed : IDisposable
    {
        private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

        private readonly BlockingCollection<ProjectLogEntry> entries = new();
        private readonly Thread thread;
        private Exception? failure;

        public Followed(IEnumerable<ProjectLogEntry> follow)
        {
            thread = new Thread(() =>
            {
                try
                {
                    foreach (var entry in follow)
                        entries.Add(entry);
                }
                catch (Exception e)
                {
                    failure = e;
                }
                finally
                {
                    entries.CompleteAdding();
                }
            }) { IsBackground = true };
            thread.Start();
        }

        public ProjectLogEntry Next()
        {
            Assert.True(entries.TryTake(out var entry, Timeout), failure?.ToString() ?? "no entry came, or the follow ended");
            return entry!;
        }

        /// <summary>What came until the follow ended, which it must within the timeout.</summary>
        public List<ProjectLogEntry> ToEnd()
        {
            Assert.True(thread.Join(Timeout), "the follow did not end");
            Assert.Null(failure);
            return [.. entries];
        }

        public void Dispose() => entries.Dispose();
    }
}
