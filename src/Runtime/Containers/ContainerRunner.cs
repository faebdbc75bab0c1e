using Container.Runtime.Linux;
using Container.Runtime.Logs;
using Container.Runtime.Terminals;

namespace Container.Runtime.Containers;

/// <summary>
/// docker run: a container created and started in one go, and then stayed with (its output
/// followed, its exit returned), relayed on a terminal, or left to run (detached).
/// </summary>
internal sealed class ContainerRunner(ContainerStore store, ContainerLifecycle lifecycle, ContainerObserver observer)
{
    /// <summary>How long a container has to act on the SIGINT of a Ctrl+C before the run is left to it.</summary>
    private static readonly TimeSpan InterruptGrace = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Creates and starts a container and stays with it (docker run without -d): each line it
    /// writes goes to onLine as it comes, and its exit is returned. With input, that is its
    /// stdin, closed once it ends (docker run -i). Cancellation passes SIGINT to it, as docker
    /// run's signal proxy does, and ends the run (RunInterruptedException, with a warning when
    /// the container lives on). With remove, it is removed at the end with its anonymous volumes
    /// (docker run --rm), its exit read first; a start that fails removes it too.
    /// </summary>
    public ContainerInfo Run(ContainerSpec spec, bool remove, Action<LogStream, string> onLine, CancellationToken cancellation = default, ProcessInput? input = null)
    {
        // removed here rather than by its monitor: the monitor would take the exit code with it
        var container = lifecycle.Create((spec.AutoRemove ? spec with { AutoRemove = false } : spec) with { Interactive = spec.Interactive || input != null });
        var outlived = false;
        try
        {
            using var stopInput = new CancellationTokenSource();
            // a Ctrl+C while it starts is passed on once it runs: a start left half-way would
            // leave a running container that no one follows
            if (input == null)
                lifecycle.Start(container.Id);
            else
            {
                var (connection, stdin) = StartAttached(container.Id);
                connection.Dispose(); // without a tty it only brings the stdin pipe
                _ = Task.Run(() => input.Feed(stdin, stopInput.Token));
            }
            try
            {
                foreach (var entry in observer.FollowLog(container.Id, null, cancellation))
                    onLine(entry.Stream, entry.Text);
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                // Ctrl+C: the container is told below
            }
            stopInput.Cancel(); // it ended: what the user types now is not its
            if (cancellation.IsCancellationRequested)
            {
                outlived = !Interrupt(container.Id);
                throw new RunInterruptedException(outlived ? RunInterruptedException.Outlived(container.Name, remove) : null);
            }
            return lifecycle.Wait(container.Id, cancellation: cancellation);
        }
        finally
        {
            if (remove && !outlived)
                lifecycle.Remove(container.Id, force: true, removeVolumes: true);
        }
    }

    /// <summary>
    /// Creates and starts a container and leaves it running (docker run -d). A start that fails
    /// leaves it created, as docker does, unless it is to be removed when it ends (AutoRemove):
    /// then it is removed at once.
    /// </summary>
    public ContainerInfo RunDetached(ContainerSpec spec, CancellationToken cancellation = default)
    {
        var container = lifecycle.Create(spec);
        try
        {
            return lifecycle.Start(container.Id, cancellation);
        }
        catch (Exception) when (spec.AutoRemove)
        {
            lifecycle.Remove(container.Id, force: true, removeVolumes: true);
            throw;
        }
    }

    /// <summary>
    /// Creates and starts a container on a pseudo-terminal the caller relays (docker run -it):
    /// the session's exit code is the container's, and with remove, disposing it removes the
    /// container.
    /// </summary>
    public TerminalSession RunInTerminal(ContainerSpec spec, bool remove)
    {
        var container = lifecycle.Create(spec with { Tty = true, Interactive = true, AutoRemove = false });
        try
        {
            var (connection, terminal) = StartAttached(container.Id);
            return new AttachedTerminalSession(observer, lifecycle, container.Id, remove, terminal, new System.Net.Sockets.NetworkStream(connection, ownsSocket: true));
        }
        catch
        {
            if (remove)
                lifecycle.Remove(container.Id, force: true, removeVolumes: true);
            throw;
        }
    }

    /// <summary>
    /// Starts the container with its first run attached: the monitor connects before the
    /// container starts, and sends its input (the stdin pipe, or the pty master) and, with a
    /// tty, stays connected to pass its screen on.
    /// </summary>
    private (System.Net.Sockets.Socket Connection, FileStream Input) StartAttached(string id)
    {
        using var socket = new ConsoleSocket(Path.Combine(store.ConsoleDirectory(), $"attach-{Ids.Short(id)}.sock"));
        var attached = Task.Run(socket.Attach);
        try
        {
            lifecycle.Start(id, CancellationToken.None, warn: null, attachSocket: socket.Path);
        }
        catch
        {
            socket.Dispose(); // ends the wait for a connection that will not come
            attached.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted);
            throw;
        }
        // the monitor connected before it started the container: this is at hand
        return attached.WaitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
    }

    /// <summary>Passes a Ctrl+C on as SIGINT; true when the container has ended within the grace it is given.</summary>
    private bool Interrupt(string id)
    {
        try
        {
            lifecycle.Kill(id, "SIGINT");
        }
        catch (Errors.ContainerException e) when (e.ErrorId == "ContainerNotRunning")
        {
            return true; // it ended on its own meanwhile
        }
        return observer.WaitForExit(id, observer.ReadRecord(id, id), InterruptGrace) != null;
    }
}
