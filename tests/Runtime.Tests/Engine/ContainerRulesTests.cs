using Container.Runtime;
using Container.Runtime.Containers;
using Container.Runtime.Errors;
using Container.Runtime.Logs;
using Container.Runtime.Oci;
using Container.Runtime.Storage;
using Xunit;

namespace Container.Tests.Engine;

public sealed class ContainerRulesTests
{
    [Theory]
    [InlineData(ContainerStatus.Created, true, false, false)]
    [InlineData(ContainerStatus.Running, false, true, true)]
    [InlineData(ContainerStatus.Paused, false, true, false)]
    [InlineData(ContainerStatus.Exited, true, false, false)]
    public void GuardsFollowTheStateMachine(ContainerStatus status, bool canStart, bool canStop, bool canPause)
    {
        Assert.Equal(canStart, ContainerStateMachine.CanStart(status));
        Assert.Equal(canStop, ContainerStateMachine.CanStop(status));
        Assert.Equal(canPause, ContainerStateMachine.CanPause(status));
        Assert.Equal(!canStop, ContainerStateMachine.CanRemove(status, force: false));
        Assert.True(ContainerStateMachine.CanRemove(status, force: true));
    }

    /// <summary>Every guard of every state: what each operation may do to a container in it.</summary>
    [Theory]
    //          status                      start  stop   kill   pause  resume exec   inspect remove rename
    [InlineData(ContainerStatus.Created,    true,  false, false, false, false, false, false,  true,  true)]
    [InlineData(ContainerStatus.Starting,   false, false, false, false, false, false, false,  false, false)]
    [InlineData(ContainerStatus.Running,    false, true,  true,  true,  false, true,  true,   false, true)]
    [InlineData(ContainerStatus.Paused,     false, true,  true,  false, true,  false, true,   false, true)]
    [InlineData(ContainerStatus.Restarting, false, true,  false, false, false, false, false,  false, true)]
    [InlineData(ContainerStatus.Exited,     true,  false, false, false, false, false, false,  true,  true)]
    public void EveryOperationHasItsGuardInEveryState(ContainerStatus status, bool start, bool stop, bool kill, bool pause, bool resume,
        bool exec, bool inspect, bool remove, bool rename)
    {
        Assert.Equal(
            (start, stop, kill, pause, resume, exec, inspect, remove, rename),
            (ContainerStateMachine.CanStart(status), ContainerStateMachine.CanStop(status), ContainerStateMachine.CanKill(status),
                ContainerStateMachine.CanPause(status), ContainerStateMachine.CanResume(status), ContainerStateMachine.CanExec(status),
                ContainerStateMachine.CanInspectProcesses(status), ContainerStateMachine.CanRemove(status, force: false),
                ContainerStateMachine.CanRename(status)));
        // -Force removes whatever runs, but not what a start has under way
        Assert.Equal(status != ContainerStatus.Starting, ContainerStateMachine.CanRemove(status, force: true));
    }

    [Theory]
    [InlineData("web", true)]
    [InlineData("web-1.prod_x", true)]
    [InlineData("1web", true)]
    [InlineData("-web", false)]
    [InlineData("we b", false)]
    [InlineData("web/1", false)]
    [InlineData("", false)]
    public void ContainerNamesFollowDockersRules(string name, bool valid) => Assert.Equal(valid, ContainerNames.IsValid(name));

    [Fact]
    public void GeneratedNamesAreValid()
    {
        for (var i = 0; i < 100; i++)
            Assert.True(ContainerNames.IsValid(ContainerNames.Generate()));
    }

    [Fact]
    public void EnvironmentMergesImageThenUserWithPathAlwaysSet()
    {
        var merged = ProcessEnvironment.Merge(["A=1", "B=2"], new Dictionary<string, string> { ["B"] = "3", ["C"] = "x=y" });
        Assert.Equal(["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "A=1", "B=3", "C=x=y"], merged);

        var withPath = ProcessEnvironment.Merge(["PATH=/bin"], null);
        Assert.Equal(["PATH=/bin"], withPath);

        var e = Assert.Throws<ContainerException>(() => ProcessEnvironment.Merge(null, new Dictionary<string, string> { ["A=B"] = "1" }));
        Assert.Equal("InvalidEnvironment", e.ErrorId);
    }

    [Fact]
    public void StoreRootComesFromTheEnvironmentAtEachCall()
    {
        var saved = (Environment.GetEnvironmentVariable(StorePaths.RootVariable), Environment.GetEnvironmentVariable(StorePaths.RunRootVariable));
        try
        {
            Environment.SetEnvironmentVariable(StorePaths.RootVariable, null);
            Environment.SetEnvironmentVariable(StorePaths.RunRootVariable, null);
            Assert.Equal("/var/lib/container", StorePaths.FromEnvironment().Root);
            Assert.Equal("/run/container", StorePaths.FromEnvironment().RunRoot);

            Environment.SetEnvironmentVariable(StorePaths.RootVariable, "/tmp/a");
            Assert.Equal("/tmp/a", StorePaths.FromEnvironment().Root);
            Assert.Equal("/tmp/a/run", StorePaths.FromEnvironment().RunRoot);
            Assert.Equal("/tmp/a", ContainerEngine.FromEnvironment().Paths.Root);

            Environment.SetEnvironmentVariable(StorePaths.RunRootVariable, "/tmp/b");
            Assert.Equal("/tmp/b", StorePaths.FromEnvironment().RunRoot);
        }
        finally
        {
            Environment.SetEnvironmentVariable(StorePaths.RootVariable, saved.Item1);
            Environment.SetEnvironmentVariable(StorePaths.RunRootVariable, saved.Item2);
        }
    }

    [Fact]
    public void LogLinesParseAndPartsJoin()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(file,
            [
                "2024-05-01T10:00:00.123456789Z stdout F hello world",
                "2024-05-01T10:00:01.000000000Z stderr P part one, ",
                "2024-05-01T10:00:01.500000000Z stdout F interleaved",
                "2024-05-01T10:00:02.000000000Z stderr F part two",
                "2024-05-01T10:00:03.000000000Z stdout F ",
                "garbage line",
            ]);
            var entries = ContainerLog.Read(file).ToList();
            Assert.Equal(4, entries.Count);
            Assert.Equal(new LogEntry(new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.Zero).AddTicks(1234567), LogStream.Stdout, "hello world"), entries[0]);
            Assert.Equal(("interleaved", LogStream.Stdout), (entries[1].Text, entries[1].Stream));
            Assert.Equal(("part one, part two", LogStream.Stderr), (entries[2].Text, entries[2].Stream));
            Assert.Equal("", entries[3].Text);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void ErrorsCarryIdKindAndTarget()
    {
        var e = Errors.ContainerNotFound("web");
        Assert.Equal(("ContainerNotFound", ErrorKind.ObjectNotFound, (object)"web"), (e.ErrorId, e.Kind, e.Target!));
        Assert.Equal(ErrorKind.ResourceExists, Errors.NameInUse("web", new string('a', 64)).Kind);
    }
}
