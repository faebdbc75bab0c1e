using Container.Runtime.Containers;
using Container.Runtime.Errors;
using Container.Runtime.Logs;
using Container.Runtime.Terminals;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Containers;

/// <summary>Running attached (docker run -i, -it, the signal proxy), exit codes as a native command's, -Init, HOME and TERM.</summary>
[Trait("Category", "Kernel")]
public sealed class AttachTests : IDisposable
{
    private readonly TestStore store = new();

    public void Dispose() => store.Dispose();

    private ContainerSpec Spec(string name, params string[] command) => new() { Image = TestStore.Image, Name = name, Command = command };

    private (ContainerInfo Exited, List<string> Lines) Run(ContainerSpec spec, ProcessInput? input = null, CancellationToken cancellation = default)
    {
        var lines = new List<string>();
        var exited = store.Containers.Run(spec, remove: false, (_, line) => { lock (lines) lines.Add(line); }, cancellation, input);
        return (exited, lines);
    }

    private void StartBox(string script = "")
    {
        store.Containers.Create(Spec("box", "sh", "-c", $"{script}touch /ready; exec sleep 1000"));
        store.Containers.Start("box");
        WaitUntil(() => File.Exists(Path.Combine(store.Containers.Get("box").Path, "upper", "ready")), "the box never got ready");
    }

    private static void WaitUntil(Func<bool> condition, string what)
    {
        // a deadline, not a wait: generous, as an emulated kernel on a loaded machine runs 50 times slower
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, what);
            Thread.Sleep(20);
        }
    }

    /// <summary>Whether the process (a host pid) runs the program; false once it is gone.</summary>
    private static bool InitIs(int pid, string program)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim() == program;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private int Exec(ExecSpec spec, List<string> lines, ProcessInput? input = null) =>
        store.Containers.Exec("box", spec, (_, line) => { lock (lines) lines.Add(line); }, default, input);

    [Fact]
    public void InputIsTheRunsStdinAndItsEndTheContainersEof()
    {
        var (exited, lines) = Run(Spec("wc", "wc", "-l"), ProcessInput.FromLines(["one", "two", "three"]));
        Assert.Equal(0, exited.ExitCode);
        Assert.Equal(["3"], lines.Select(l => l.Trim()));
    }

    [Fact]
    public void ADescriptorIsCopiedToStdinUntilItEnds()
    {
        var pipe = new System.IO.Pipes.AnonymousPipeServerStream(System.IO.Pipes.PipeDirection.Out, HandleInheritability.None);
        using var reading = new System.IO.Pipes.AnonymousPipeClientStream(System.IO.Pipes.PipeDirection.In, pipe.ClientSafePipeHandle);
        pipe.Write("typed\n"u8);
        pipe.Dispose(); // the user's input ends
        var (exited, lines) = Run(Spec("cat", "cat"), ProcessInput.FromDescriptor((int)reading.SafePipeHandle.DangerousGetHandle()));
        Assert.Equal(0, exited.ExitCode);
        Assert.Equal(["typed"], lines);
    }

    [Fact]
    public void ExecInputIsTheCommandsStdin()
    {
        StartBox();
        var lines = new List<string>();
        Assert.Equal(0, Exec(new ExecSpec { Command = ["cat"] }, lines, ProcessInput.FromLines(["x", "y"])));
        Assert.Equal(["x", "y"], lines);
    }

    [Fact]
    public void RunInTerminalGivesAWorkingTerminalAndTheContainersExitCode()
    {
        using var user = new PseudoTerminal(rows: 30, columns: 100);
        using var session = store.Containers.RunInTerminal(Spec("it", "sh"), remove: true);
        var exitCode = -1;
        Exception? relayFailure = null;
        var relay = new Thread(() =>
        {
            try
            {
                exitCode = TerminalRelay.Run(session, user.Slave, user.Slave);
            }
            catch (Exception e)
            {
                relayFailure = e; // reported below: a throw on this thread would end the test run
            }
        }) { IsBackground = true };
        relay.Start();

        user.Type("echo hel''lo-$((6*7)); stty size; echo $TERM\r");
        user.WaitFor("hello-42");
        user.WaitFor("30 100");
        user.WaitFor("xterm");
        user.Type("exit 9\r");
        Assert.True(relay.Join(TimeSpan.FromSeconds(30)), "the relay did not end with the container");
        Assert.Null(relayFailure);
        Assert.Equal(9, exitCode);
        Assert.Contains("hello-42", store.Output("it")); // logged as well
        session.Dispose();
        Assert.Empty(store.Containers.List());
    }

    [Fact]
    public void CancellingARunPassesSigintAndWarnsOfAContainerThatOutlivesIt()
    {
        // a trap sees the SIGINT and ends the container: no warning
        using (var cancel = new CancellationTokenSource())
        {
            var spec = Spec("trapper", "sh", "-c", "trap 'echo got-int > /got; exit 3' INT; touch /ready; while :; do sleep 0.05; done");
            var run = Task.Run(() => Run(spec, cancellation: cancel.Token));
            WaitUntil(() => run.IsCompleted || store.Containers.List().FirstOrDefault(c => c.Name == "trapper") is { } c && File.Exists(Path.Combine(c.Path, "upper", "ready")), "trapper never got ready");
            Assert.False(run.IsCompleted, $"the run ended before it was interrupted: {run.Exception}");
            cancel.Cancel();
            Assert.Null(Assert.Throws<RunInterruptedException>(() => run.GetAwaiter().GetResult()).Warning);
            WaitUntil(() => store.Containers.Get("trapper").Status == ContainerStatus.Exited, "trapper did not exit");
            Assert.Equal(3, store.Containers.Get("trapper").ExitCode);
            Assert.Equal("got-int\n", File.ReadAllText(Path.Combine(store.Containers.Get("trapper").Path, "upper", "got")));
        }
        // pid 1 without a handler ignores SIGINT: the container lives on, and the warning names it
        using (var cancel = new CancellationTokenSource())
        {
            var run = Task.Run(() => Run(Spec("sleeper", "sh", "-c", "exec sleep 1000"), cancellation: cancel.Token));
            // ready once its init is sleep: the shell before the exec may end on a SIGINT (on a loaded machine it took one)
            WaitUntil(() => run.IsCompleted || store.Containers.List().FirstOrDefault(c => c.Name == "sleeper") is { Pid: > 0 } c && InitIs(c.Pid, "sleep"), "sleeper never got ready");
            Assert.False(run.IsCompleted, $"the run ended before it was interrupted: {run.Exception}");
            cancel.Cancel();
            var interrupted = Assert.Throws<RunInterruptedException>(() => run.GetAwaiter().GetResult());
            Assert.Contains("'sleeper' is still running", interrupted.Warning);
            Assert.Equal(ContainerStatus.Running, store.Containers.Get("sleeper").Status);
        }
    }

    [Fact]
    public void ACommandThatCannotRunHasTheShellsExitCodes()
    {
        var notFound = Assert.Throws<ContainerException>(() => Run(Spec("nf", "no-such-command")));
        Assert.Equal(ExitCodes.NotFound, notFound.ExitCode);
        // recorded as docker records it: created, with the exit code
        Assert.Equal(ContainerStatus.Created, store.Containers.Get("nf").Status);
        Assert.Equal(127, store.Containers.Get("nf").ExitCode);
        Assert.Equal(ExitCodes.CannotInvoke, Assert.Throws<ContainerException>(() => Run(Spec("ne", "/etc/passwd"))).ExitCode);
        Assert.Equal(ExitCodes.ToolFailed, Assert.Throws<ContainerException>(() => Run(new ContainerSpec { Image = "no-such-image" })).ExitCode);

        StartBox();
        var lines = new List<string>();
        Assert.Equal(ExitCodes.NotFound, Assert.Throws<ContainerException>(() => Exec(new ExecSpec { Command = ["no-such-command"] }, lines)).ExitCode);
        Assert.Equal(ExitCodes.CannotInvoke, Assert.Throws<ContainerException>(() => Exec(new ExecSpec { Command = ["/etc/passwd"] }, lines)).ExitCode);
        // the command's own 127 is its exit code, not a failure
        Assert.Equal(127, Exec(new ExecSpec { Command = ["sh", "-c", "exit 127"] }, lines));
    }

    [Theory]
    [InlineData("container-runtime: exec: `nonexist`: executable file not found in $PATH: No such file or directory", 127)]
    [InlineData("exec failed: unable to start container process: exec: \"nonexist\": executable file not found in $PATH", 127)]
    [InlineData("executable file `nonexist` not found in $PATH: No such file or directory", 127)]
    [InlineData("exec: `/bin/gone`: No such file or directory", 127)]
    [InlineData("container-runtime: exec: `/etc/passwd`: Permission denied", 126)]
    [InlineData("mount `/data`: No such file or directory", 125)]
    [InlineData("cannot listen on the console socket", 125)]
    public void RuntimeErrorsMapToTheExitCodesDockerGives(string message, int exitCode) => Assert.Equal(exitCode, ExitCodes.ForRuntimeError(message));

    [Fact]
    public void InitReapsZombiesAndPassesSignalsOn()
    {
        // without an init, pid 1 (sleep) never reaps its exited child: a zombie, listed as one
        const string script = "sleep 0.1 & touch /ready; exec sleep 1000";
        store.Containers.Create(Spec("plain", "sh", "-c", script));
        store.Containers.Start("plain");
        WaitUntil(() => store.Containers.Processes("plain").Any(p => p.State.StartsWith('Z')), "no zombie listed");

        store.Containers.Create(Spec("init", "sh", "-c", "sh -c 'sleep 0.1 &'; touch /ready; exec sleep 1000") with { Init = true });
        store.Containers.Start("init");
        WaitUntil(() => File.Exists(Path.Combine(store.Containers.Get("init").Path, "upper", "ready")), "init never got ready");
        var processes = store.Containers.Processes("init");
        Assert.Equal("/dev/init sh -c sh -c 'sleep 0.1 &'; touch /ready; exec sleep 1000", processes.Single(p => p.ContainerPid == 1).Command);
        // the orphaned sleep ends and is reaped by the init: neither it nor a zombie (whose command line is empty) is left
        WaitUntil(() => store.Containers.Processes("init").All(p => !p.Command.StartsWith("sleep 0.1", StringComparison.Ordinal) && !p.State.StartsWith('Z')),
            "the orphan was not reaped");
        // SIGTERM reaches sleep, which as pid 1 would ignore it: it dies of it, not of the SIGKILL after
        var stopped = store.Containers.Stop("init", TimeSpan.FromSeconds(20));
        Assert.Equal(128 + 15, stopped.ExitCode);
    }

    [Fact]
    public void HomeAndTermAreSetAsDockerSetsThem()
    {
        var (_, lines) = Run(Spec("env", "sh", "-c", "echo home=$HOME term=${TERM:-none}"));
        Assert.Equal(["home=/root term=none"], lines);
        StartBox("echo worker:x:1234:1234::/work:/bin/sh >> /etc/passwd; ");
        var exec = new List<string>();
        Exec(new ExecSpec { Command = ["sh", "-c", "echo home=$HOME"], User = "worker" }, exec);
        Exec(new ExecSpec { Command = ["sh", "-c", "echo home=$HOME"] }, exec);
        Exec(new ExecSpec { Command = ["sh", "-c", "echo home=$HOME"], User = "worker", Environment = new Dictionary<string, string> { ["HOME"] = "/mine" } }, exec);
        Assert.Equal(["home=/work", "home=/root", "home=/mine"], exec);

        using var user = new PseudoTerminal(rows: 24, columns: 80);
        using var session = store.Containers.OpenTerminal("box", new ExecSpec { Command = ["sh", "-c", "echo term=$TERM"] }, 24, 80);
        var relay = new Thread(() => TerminalRelay.Run(session, user.Slave, user.Slave)) { IsBackground = true };
        relay.Start();
        user.WaitFor("term=xterm");
        Assert.True(relay.Join(TimeSpan.FromSeconds(20)));
    }
}
