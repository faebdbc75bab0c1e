using Container.Runtime;
using Container.Runtime.Containers;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Containers;

/// <summary>
/// How the monitor has the runtime make and start a container: one runtime process
/// (`run --detach`) when nothing must happen between create and start, create then start
/// when something must (a terminal to take, an engine to attach). Seen through a runtime
/// that notes each command it is given and hands it to ours.
/// </summary>
[Trait("Category", "Kernel")]
public sealed class MonitorLaunchTests : IDisposable
{
    private readonly TestStore store = new();
    private readonly string dir = Directory.CreateTempSubdirectory("monitor-launch-").FullName;
    private readonly string runtime;
    private readonly string calls;

    public MonitorLaunchTests()
    {
        calls = Path.Combine(dir, "calls");
        runtime = Path.Combine(dir, "runtime");
        // the command is the word after the monitor's --root, --log and --log-format
        File.WriteAllText(runtime, $"""
            #!/bin/sh
            echo "$7 $8" >> {calls}
            exec {Path.Combine(NativeBinaries.Directory, NativeBinaries.RuntimeName)} "$@"
            """);
        File.SetUnixFileMode(runtime, (UnixFileMode)0b111_101_101);
    }

    public void Dispose()
    {
        store.Dispose();
        Directory.Delete(dir, recursive: true);
    }

    private List<string> CommandsFor(ContainerSpec spec)
    {
        var id = store.Containers.Create(spec).Id;
        store.Containers.Start(id);
        Assert.Equal(0, store.Containers.Wait(id).ExitCode);
        store.Containers.Remove(id, force: false);
        return [.. File.ReadAllLines(calls).Select(l => l.Split(' ')[0]).Where(c => c != "delete" && c != "state")];
    }

    [Fact]
    public void ADetachedStartIsOneRuntimeRun()
    {
        var commands = CommandsFor(new ContainerSpec { Image = TestStore.Image, Command = ["true"], Runtime = runtime });
        Assert.Equal(["run"], commands);
        Assert.Contains("run --detach", File.ReadAllLines(calls));
    }

    [Fact]
    public void ATerminalIsTakenBetweenCreateAndStart()
    {
        var commands = CommandsFor(new ContainerSpec { Image = TestStore.Image, Command = ["true"], Runtime = runtime, Tty = true });
        Assert.Equal(["create", "start"], commands);
    }
}
