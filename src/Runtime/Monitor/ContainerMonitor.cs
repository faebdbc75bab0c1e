using Container.Runtime.Oci;
using Container.Runtime.Processes;

namespace Container.Runtime.Monitor;

/// <summary>
/// Starts a container's monitor (the native container-monitor), which detaches, runs
/// the OCI runtime's create and start, and answers "ok &lt;pid&gt; &lt;monitor pid&gt;",
/// "error &lt;message&gt;" or "port-in-use &lt;port&gt;" before it closes its stdout.
/// </summary>
internal sealed class ContainerMonitor : IContainerMonitor
{
    /// <summary>The log's size cap: past it the log moves to .1 and a new one starts.</summary>
    public const long LogMaxSize = 16 * 1024 * 1024;

    /// <summary>The monitor's answer when a published host port it was to hold is taken.</summary>
    private const string PortInUseAnswer = "port-in-use ";

    /// <param name="Unmounts">What the engine mounted for the container (its rootfs, its volumes' subpaths): the monitor unmounts them once it will not run again.</param>
    public sealed record Options(IOciRuntime Runtime, string Id, string BundleDir, string LogPath, IReadOnlyList<string> Unmounts)
    {
        /// <summary>This boot's id, as the engine reads it: the monitor records it with each run.</summary>
        public required string BootId { get; init; }
        public string? CgroupPath { get; init; }
        public bool Tty { get; init; }
        /// <summary>Where the monitor listens for the pty: a short path, sun_path holds 108 bytes.</summary>
        public string? ConsoleSocket { get; init; }
        public bool Interactive { get; init; }
        /// <summary>Where the engine waits for the first run's input (and its screen, with a tty): see ConsoleSocket.</summary>
        public string? AttachSocket { get; init; }
        public string RestartPolicy { get; init; } = "no";
        public Containers.Healthcheck? Healthcheck { get; init; }
        /// <summary>With auto-remove: where the monitor removes the container once it has ended.</summary>
        public AutoRemoval? AutoRemove { get; init; }
        /// <summary>
        /// The container's bridge networking, set up by the network driver: the monitor holds its
        /// published host ports while the container runs and tears it down at the end.
        /// </summary>
        public Networks.NetworkSetup? Network { get; init; }
    }

    /// <summary>
    /// The store's paths an auto-remove touches, so that the monitor knows nothing of the store's
    /// layout: the container's lock, the staging path its directory moves to before it is
    /// deleted, and the name claim to drop (if it still holds the container's id).
    /// </summary>
    public sealed record AutoRemoval(string LockFile, string StagingPath, string NameFile);

    /// <returns>The host pid of the container's init.</returns>
    public int Start(Options options, string reference, CancellationToken cancellation)
    {
        var arguments = new List<string>
        {
            "--runtime", options.Runtime.Path, "--runtime-root", options.Runtime.Root, "--id", options.Id,
            "--bundle", options.BundleDir, "--state-dir", options.BundleDir, "--log", options.LogPath,
            "--log-max-size", LogMaxSize.ToString(), "--restart", options.RestartPolicy, "--boot-id", options.BootId,
        };
        foreach (var mount in options.Unmounts)
            arguments.AddRange(["--unmount", mount]);
        // the core's own runtime: the monitor deletes the ended container itself, sparing a spawn
        if (options.Runtime.Path == NativeBinaries.RuntimePath)
            arguments.Add("--core-runtime");
        if (options.CgroupPath != null)
            arguments.AddRange(["--cgroup-path", options.CgroupPath]);
        if (options.Tty)
            arguments.AddRange(["--tty", "--console-socket", options.ConsoleSocket ?? throw new ArgumentException("a tty needs a console socket path")]);
        if (options.Interactive)
            arguments.Add("--interactive");
        if (options.AttachSocket != null)
            arguments.AddRange(["--attach-socket", options.AttachSocket]);
        if (options.Healthcheck is { } health)
        {
            foreach (var argument in health.Command)
                arguments.AddRange(["--health-arg", argument]);
            arguments.AddRange(["--health-interval", Milliseconds(health.Interval), "--health-timeout", Milliseconds(health.Timeout),
                "--health-retries", health.Retries.ToString(), "--health-start-period", Milliseconds(health.StartPeriod)]);
        }
        if (options.AutoRemove is { } removal)
            arguments.AddRange(["--remove-dir", options.BundleDir, "--remove-lock", removal.LockFile, "--remove-staging", removal.StagingPath,
                "--release-name", removal.NameFile]);
        if (options.Network is { } network)
            arguments.AddRange(["--network", Networks.NetworkDriver.RequestFile(network), "--network-helper", NativeBinaries.NetworkPath]);
        using var process = ProcessRunner.Start(NativeBinaries.MonitorPath, arguments);
        var errors = process.StandardError.ReadToEndAsync(cancellation);
        // EOF comes when the detached monitor has answered and closed its end
        var answer = process.StandardOutput.ReadToEndAsync(cancellation).GetAwaiter().GetResult().Trim();
        process.WaitForExit();
        if (answer.StartsWith("ok ", StringComparison.Ordinal) && int.TryParse(answer.Split(' ')[1], out var pid))
            return pid;
        if (answer.StartsWith(PortInUseAnswer, StringComparison.Ordinal))
            throw Errors.Errors.PortInUse(answer[PortInUseAnswer.Length..], reference);
        var message = answer.StartsWith("error ", StringComparison.Ordinal) ? answer["error ".Length..] : answer;
        if (message.Length == 0)
            message = errors.GetAwaiter().GetResult().Trim() is { Length: > 0 } stderr ? stderr : "the monitor exited without an answer";
        message = RuntimeLog.Message(message);
        throw Errors.Errors.StartFailed(reference, message).WithExitCode(Containers.ExitCodes.ForRuntimeError(message));
    }

    private static string Milliseconds(TimeSpan time) => ((long)time.TotalMilliseconds).ToString();
}
