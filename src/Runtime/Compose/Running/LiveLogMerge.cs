using System.Runtime.ExceptionServices;

namespace Container.Runtime.Compose;

/// <summary>
/// Logs followed at once, each on a thread of its own (a thread, not the pool's: a follow
/// lasts as long as its container), given out as one stream. An entry is given out once every
/// log still followed either has one waiting or has said it is caught up (nothing more is
/// written so far): what was written before the follow began comes merged by time, what comes
/// after in the order it is written. Logs may be added while it runs (a container made anew).
/// </summary>
internal sealed class LiveLogMerge : IDisposable
{
    /// <summary>How long a disposal waits for the followers to see the stop (they look at least every 100 ms).</summary>
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    private readonly object gate = new();
    private readonly List<Source> sources = [];
    private readonly List<Thread> threads = [];
    private readonly CancellationTokenSource stop;
    private readonly CancellationTokenRegistration wake;
    private Exception? failure;

    public LiveLogMerge(CancellationToken cancellation)
    {
        stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        wake = stop.Token.Register(() => Update(() => { }));
    }

    /// <summary>
    /// Follows one more log: follow is given the action that tells it is caught up and the token
    /// that stops it. An error for which endsQuietly says so (the container was removed) ends
    /// that log alone; any other ends the merge, thrown by <see cref="Next"/>.
    /// </summary>
    public void Add(Func<Action, CancellationToken, IEnumerable<ProjectLogEntry>> follow, Func<Exception, bool> endsQuietly)
    {
        Source source;
        lock (gate)
            sources.Add(source = new Source(sources.Count));
        var thread = new Thread(() => Run(source, follow, endsQuietly)) { IsBackground = true, Name = "project log" };
        threads.Add(thread);
        thread.Start();
    }

    /// <summary>Every log followed has ended and all it wrote is given out, or the merge was stopped.</summary>
    public bool Ended
    {
        get
        {
            lock (gate)
                return stop.IsCancellationRequested || sources.All(s => s.Ended && s.Entries.Count == 0);
        }
    }

    /// <summary>The next entry; null when none is ready within the wait, or when the merge has ended (<see cref="Ended"/>).</summary>
    public ProjectLogEntry? Next(TimeSpan wait)
    {
        var deadline = DateTime.UtcNow + wait;
        lock (gate)
        {
            while (true)
            {
                if (failure != null)
                    ExceptionDispatchInfo.Throw(failure);
                if (stop.IsCancellationRequested || sources.All(s => s.Ended && s.Entries.Count == 0))
                    return null;
                // a log that may still give an earlier entry than the others' holds them back
                var undecided = sources.Any(s => s.Entries.Count == 0 && !s.Ended && !s.CaughtUp);
                if (!undecided && sources.Where(s => s.Entries.Count > 0).MinBy(s => (s.Entries.Peek().Time, s.Order)) is { } earliest)
                    return earliest.Entries.Dequeue();
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                    return null;
                System.Threading.Monitor.Wait(gate, left);
            }
        }
    }

    private void Run(Source source, Func<Action, CancellationToken, IEnumerable<ProjectLogEntry>> follow, Func<Exception, bool> endsQuietly)
    {
        try
        {
            foreach (var entry in follow(() => Update(() => source.CaughtUp = true), stop.Token))
                Update(() =>
                {
                    source.Entries.Enqueue(entry);
                    source.CaughtUp = false;
                });
        }
        catch (Exception e) when (!stop.IsCancellationRequested)
        {
            // decided here, not in a filter, where a lookup that throws would hide the error
            bool quiet;
            try
            {
                quiet = endsQuietly(e);
            }
            catch (Exception)
            {
                quiet = false; // the follower's own error is the one to show
            }
            if (!quiet)
                Update(() => failure ??= e);
        }
        catch (Exception)
        {
            // stopped: this log has ended
        }
        finally
        {
            Update(() => source.Ended = true);
        }
    }

    private void Update(Action change)
    {
        lock (gate)
        {
            change();
            System.Threading.Monitor.PulseAll(gate);
        }
    }

    public void Dispose()
    {
        stop.Cancel();
        wake.Dispose();
        var stopped = threads.All(t => t.Join(StopTimeout));
        // a follower that did not stop in time may still read the token: leave it to the collector
        if (stopped)
            stop.Dispose();
    }

    private sealed class Source(int order)
    {
        public int Order { get; } = order;

        public Queue<ProjectLogEntry> Entries { get; } = new();

        /// <summary>Its follower has given out everything written so far and waits for more.</summary>
        public bool CaughtUp { get; set; }

        public bool Ended { get; set; }
    }
}
