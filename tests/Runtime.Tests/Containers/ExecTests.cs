using System.Text;
using Container.Runtime.Containers;
using Container.Runtime.Errors;
using Container.Runtime.Logs;
using Container.Runtime.Terminals;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Containers;

/// <summary>Processes run in a running container (docker exec), with pipes and with a terminal.</summary>
[Trait("Category", "Kernel")]
public sealed class ExecTests : IDisposable
{
    private readonly TestStore store = new();

    public ExecTests()
    {
        store.Containers.Create(new ContainerSpec
        {
            Image = TestStore.Image, Name = "box", Command = ["sh", "-c", "echo worker:x:1234:1234::/tmp:/bin/sh >> /etc/passwd; touch /ready; exec sleep 1000"],
        });
        store.Containers.Start("box");
        // the script's own changes are done before any test runs a command
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Exec(new ExecSpec { Command = ["test", "-e", "/ready"] }).ExitCode != 0)
            Assert.True(DateTime.UtcNow < deadline, "the container never got ready");
    }

    public void Dispose() => store.Dispose();

    private (int ExitCode, List<(LogStream Stream, string Text)> Lines) Exec(ExecSpec spec, CancellationToken cancellation = default)
    {
        var lines = new List<(LogStream, string)>();
        var code = store.Containers.Exec("box", spec, (stream, line) => { lock (lines) lines.Add((stream, line)); }, cancellation);
        return (code, lines);
    }

    [Fact]
    public void OutputAndErrorsComeApartWithTheExitCode()
    {
        var (code, lines) = Exec(new ExecSpec { Command = ["sh", "-c", "echo one; echo oops >&2; echo two; exit 7"] });
        Assert.Equal(7, code);
        Assert.Equal(["one", "two"], lines.Where(l => l.Stream == LogStream.Stdout).Select(l => l.Text));
        Assert.Equal(["oops"], lines.Where(l => l.Stream == LogStream.Stderr).Select(l => l.Text));
    }

    [Fact]
    public void ItJoinsTheContainersNamespaces()
    {
        var (_, lines) = Exec(new ExecSpec { Command = ["sh", "-c", "hostname; cat /proc/1/cmdline | tr '\\0' ' '; echo; ls /ready"] });
        Assert.Equal(["box", "sleep 1000 ", "/ready"], lines.Select(l => l.Text));
    }

    [Fact]
    public void ItRunsInTheContainersCgroup()
    {
        // at the root of the container's cgroup namespace: in the container's cgroup, in every hierarchy
        var (_, lines) = Exec(new ExecSpec { Command = ["cat", "/proc/self/cgroup"] });
        Assert.NotEmpty(lines);
        Assert.All(lines, l => Assert.EndsWith(":/", l.Text));
    }

    [Fact]
    public void UserEnvironmentAndDirectoryApply()
    {
        var (_, lines) = Exec(new ExecSpec
        {
            Command = ["sh", "-c", "id -u; id -g; echo $GREETING; pwd; echo $PATH"],
            User = "worker",
            Environment = new Dictionary<string, string> { ["GREETING"] = "hello" },
            WorkingDirectory = "/tmp",
        });
        Assert.Equal(["1234", "1234", "hello", "/tmp"], lines.Take(4).Select(l => l.Text));
        Assert.Contains("/bin", lines[4].Text);
    }

    [Fact]
    public void AMissingCommandFailsLikeAShell()
    {
        var e = Assert.Throws<ContainerException>(() => Exec(new ExecSpec { Command = ["/no/such/program"] }));
        Assert.Equal(127, e.ExitCode);
        Assert.Contains("/no/such/program", e.Message);
    }

    [Fact]
    public void CancellationEndsTheProcess()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var started = DateTime.UtcNow;
        Assert.ThrowsAny<OperationCanceledException>(() => Exec(new ExecSpec { Command = ["sleep", "100"] }, cancel.Token));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(20));
        var (_, lines) = Exec(new ExecSpec { Command = ["sh", "-c", "ps -o comm | grep -c sleep"] });
        Assert.Equal("1", lines.Single().Text); // the container's own sleep alone
    }

    [Fact]
    public void CancellationAtAnyMomentOfTheSetUpLeavesNothingBehind()
    {
        // from before the process exists to after it runs: the runtime holds the signal until it can pass it on
        foreach (var delay in Enumerable.Range(0, 40))
        {
            using var cancel = new CancellationTokenSource();
            cancel.CancelAfter(delay);
            var started = DateTime.UtcNow;
            try
            {
                Exec(new ExecSpec { Command = ["sleep", "30"] }, cancel.Token);
            }
            catch (OperationCanceledException)
            {
            }
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(20), $"cancelled after {delay} ms, the exec went on");
        }
        var (_, lines) = Exec(new ExecSpec { Command = ["sh", "-c", "ps -o comm | grep -c sleep"] });
        Assert.Equal("1", lines.Single().Text);
    }

    [Fact]
    public void OnlyARunningContainerTakesCommands()
    {
        store.Containers.Pause("box", pause: true);
        var paused = Assert.Throws<ContainerException>(() => Exec(new ExecSpec { Command = ["true"] }));
        Assert.Equal("InvalidContainerState", paused.ErrorId);
        store.Containers.Pause("box", pause: false);

        store.Containers.Stop("box", TimeSpan.FromSeconds(1));
        var stopped = Assert.Throws<ContainerException>(() => Exec(new ExecSpec { Command = ["true"] }));
        Assert.Equal("ContainerNotRunning", stopped.ErrorId);
        Assert.Empty(Directory.GetFiles(store.Containers.Get("box").Path, "exec-*"));
    }

    [Fact]
    public void ATerminalSessionTypesReadsResizesAndExits()
    {
        using var session = store.Containers.OpenTerminal("box", new ExecSpec { Command = ["sh"] }, rows: 24, columns: 80);
        var screen = new StringBuilder();
        var reader = new Thread(() =>
        {
            var buffer = new byte[4096];
            int n;
            try
            {
                while ((n = session.Terminal.Read(buffer)) > 0)
                    lock (screen) screen.Append(Encoding.UTF8.GetString(buffer, 0, n));
            }
            catch (IOException)
            {
                // EIO: the other side closed
            }
        }) { IsBackground = true };
        reader.Start();
        void Type(string text) => session.Terminal.Write(Encoding.UTF8.GetBytes(text));
        string Screen() { lock (screen) return screen.ToString(); }
        void WaitFor(string text)
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (!Screen().Contains(text))
            {
                Assert.True(DateTime.UtcNow < deadline, $"no '{text}' in: {Screen()}");
                Thread.Sleep(20);
            }
        }

        Type("stty size; tty\n");
        WaitFor("24 80");
        WaitFor("/dev/pts/");
        session.Resize(40, 120);
        Type("stty size\n");
        WaitFor("40 120");
        Type("exit 3\n");
        Assert.Equal(3, session.WaitForExit());
        Assert.True(reader.Join(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void TheRelayJoinsAUsersTerminalToTheSession()
    {
        using var user = new PseudoTerminal(rows: 30, columns: 100);
        var modeBefore = user.Mode();
        using var session = store.Containers.OpenTerminal("box", new ExecSpec { Command = ["sh"] }, rows: 24, columns: 80);
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

        user.Type("stty size\r");
        user.WaitFor("30 100"); // the user's size, not the one it opened with
        user.Resize(40, 120);
        Kill(Environment.ProcessId, 28 /* SIGWINCH */);
        // the relay passes the new size on as it handles the signal: ask until the container's terminal has it
        var resized = DateTime.UtcNow.AddSeconds(20);
        do
            user.Type("stty size\r");
        while (!user.Shows("40 120", TimeSpan.FromSeconds(1)) && DateTime.UtcNow < resized);
        user.WaitFor("40 120", seconds: 0);
        // Ctrl+C goes through as the byte it is (the user's terminal is raw), for the
        // container's terminal to turn into SIGINT: with that off there, cat shows the byte
        user.Type("stty -isig -echo; cat -v\r");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!store.Containers.Processes("box").Any(p => p.Command.StartsWith("cat", StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < deadline, "cat never started");
            Thread.Sleep(20);
        }
        user.Type("\u0003typed\r");
        user.WaitFor("^Ctyped");
        user.Type("\u0004");
        user.Type("stty sane\r");
        user.Type("exit 4\r");
        Assert.True(relay.Join(TimeSpan.FromSeconds(20)), "the relay did not end with the session");
        Assert.Null(relayFailure);
        Assert.Equal(4, exitCode);
        Assert.Equal(modeBefore, user.Mode()); // the user's terminal is as it was
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
