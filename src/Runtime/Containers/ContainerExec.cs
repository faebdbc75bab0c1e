using Container.Runtime.Images;
using Container.Runtime.Linux;
using Container.Runtime.Logs;
using Container.Runtime.Oci;
using Container.Runtime.Terminals;

namespace Container.Runtime.Containers;

/// <summary>Processes run in a running container (docker exec), with pipes or a terminal.</summary>
internal sealed class ContainerExec(ContainerStore store, ImageStore images, HostSeams host, ContainerObserver observer)
{
    /// <summary>
    /// Runs a process in the running container (docker exec), passing each line it writes
    /// to onLine as it comes, and returns its exit code. Input, if any, is its stdin; without,
    /// its stdin is closed. Cancellation stops it. A process the runtime could not start is an
    /// error whose exit code says why (ExitCodes: 127 not found, 126 not executable, 125).
    /// </summary>
    public int Exec(string reference, ExecSpec spec, Action<LogStream, string> onLine, CancellationToken cancellation = default, ProcessInput? input = null)
    {
        var (runtime, id, processFile) = PrepareExec(reference, spec, terminal: false);
        var runtimeLog = Path.ChangeExtension(processFile, ".log");
        try
        {
            using var process = runtime.Exec(id, processFile, runtimeLog);
            using var stopInput = new CancellationTokenSource();
            if (input == null)
                process.StandardInput.Close();
            else
                _ = Task.Run(() => input.Feed(process.StandardInput.BaseStream, stopInput.Token));
            var pumps = new[] { Pump(process.StandardOutput, LogStream.Stdout, onLine), Pump(process.StandardError, LogStream.Stderr, onLine) };
            using (cancellation.Register(() => Signal(process, 15)))
                process.WaitForExit();
            stopInput.Cancel();
            Task.WaitAll(pumps);
            cancellation.ThrowIfCancellationRequested();
            if (RuntimeLog.LastError(runtimeLog) is { } failure)
                throw Errors.Errors.RuntimeFailed(runtime.Name, "exec", failure, reference).WithExitCode(ExitCodes.ForRuntimeError(failure));
            return process.ExitCode;
        }
        finally
        {
            File.Delete(processFile);
            File.Delete(runtimeLog);
        }
    }

    /// <summary>Runs a process with a pseudo-terminal in the running container (docker exec -it).</summary>
    public TerminalSession OpenTerminal(string reference, ExecSpec spec, int rows, int columns)
    {
        var (runtime, id, processFile) = PrepareExec(reference, spec, terminal: true, rows, columns);
        var socketPath = Path.Combine(store.ConsoleDirectory(), $"exec-{Ids.New()[..12]}.sock");
        try
        {
            using var console = new ConsoleSocket(socketPath);
            var received = console.ReceiveTerminalAsync();
            var process = runtime.ExecOnTerminal(id, processFile, socketPath);
            var first = Task.WaitAny([received, process.WaitForExitAsync()], TimeSpan.FromSeconds(30));
            // a quick command's runtime sends the terminal and exits: its exit can be seen first
            if (first != 0 && !(process.HasExited && received.Wait(TimeSpan.FromSeconds(2))))
            {
                var why = process.HasExited ? process.StandardError.ReadToEnd().Trim() : "no terminal came";
                process.Dispose();
                throw Errors.Errors.RuntimeFailed(runtime.Name, "exec", why, reference);
            }
            return new ExecTerminalSession(process, received.Result, processFile);
        }
        catch
        {
            File.Delete(processFile);
            throw;
        }
    }

    private static void Signal(System.Diagnostics.Process process, int signal)
    {
        if (!process.HasExited)
            Libc.Kill(process.Id, signal);
    }

    private static Task Pump(StreamReader reader, LogStream stream, Action<LogStream, string> onLine) => Task.Run(() =>
    {
        while (reader.ReadLine() is { } line)
            onLine(stream, line);
    });

    /// <summary>The exec'd process: the container's own (capabilities, no_new_privs, labels) with the user's changes.</summary>
    private (IOciRuntime Runtime, string Id, string ProcessFile) PrepareExec(string reference, ExecSpec spec, bool terminal,
        int rows = 0, int columns = 0)
    {
        if (spec.Command.Count == 0)
            throw Errors.Errors.InvalidArgument("NoCommand", "A command is required.", reference);
        var id = observer.Resolve(reference);
        var record = observer.ReadRecord(id, reference);
        var status = observer.Observe(id, record).Status;
        if (!ContainerStateMachine.CanExec(status))
            throw status == ContainerStatus.Paused
                ? Errors.Errors.InvalidContainerState(reference, "run a command in", status)
                : Errors.Errors.ContainerNotRunning(reference, "run a command in");
        var config = Json.ReadFile<RuntimeSpec>(store.FileOf(id, ContainerStore.BundleConfigFile));
        var process = config.Process!;
        process.Args = [.. spec.Command];
        process.Terminal = terminal;
        process.ConsoleSize = terminal ? new ConsoleSizeSpec { Height = (uint)rows, Width = (uint)columns } : null;
        if (spec.WorkingDirectory != null)
            process.Cwd = spec.WorkingDirectory;
        if (spec.User != null)
        {
            var user = UserResolver.Resolve(spec.User, ContainerLayers.WithUpper(images, store, record));
            process.User = new UserSpec { Uid = user.Uid, Gid = user.Gid, AdditionalGids = [.. user.AdditionalGids] };
            // the container's HOME was its own user's, unless the image or its creator set one
            if (!ProcessEnvironment.IsSet(record.Environment, "HOME"))
                ProcessEnvironment.Set(process.Env, "HOME", user.Home);
        }
        if (terminal)
            ProcessEnvironment.SetDefault(process.Env, "TERM", ProcessEnvironment.Terminal);
        if (spec.Environment != null)
            process.Env = ProcessEnvironment.Merge(process.Env, spec.Environment);
        var processFile = store.FileOf(id, $"exec-{Ids.New()[..12]}.json");
        Json.WriteFile(processFile, process);
        return (host.RuntimeOf(record), id, processFile);
    }
}
