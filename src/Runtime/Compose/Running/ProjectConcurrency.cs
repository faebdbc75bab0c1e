using System.Runtime.ExceptionServices;

namespace Container.Runtime.Compose;

/// <summary>
/// Work on several containers of a project at once, as docker compose does (the services of one
/// dependency level started together, or stopped and removed together): each
/// is mostly a wait on a child process or on a container's exit, so a few at once cost little more
/// than one. A bounded number, so a large project does not start a burst of runtimes.
/// </summary>
internal static class ProjectConcurrency
{
    /// <summary>How many at once: enough to overlap the waits, few enough not to crowd a small host.</summary>
    public static int Limit => Math.Clamp(Environment.ProcessorCount, 2, 4);

    /// <summary>
    /// Runs the action on each item, a few at once; every one begun runs to its end (each leaves
    /// nothing half-made of its own), and the first failure is then thrown as it was thrown.
    /// </summary>
    public static void ForEach<T>(IReadOnlyList<T> items, Action<T> action, CancellationToken cancellation = default)
    {
        if (items.Count <= 1)
        {
            foreach (var item in items)
                action(item);
            return;
        }
        try
        {
            Parallel.ForEach(items, new ParallelOptions { MaxDegreeOfParallelism = Limit, CancellationToken = cancellation }, action);
        }
        catch (AggregateException failed)
        {
            var first = failed.Flatten().InnerExceptions.FirstOrDefault(e => e is not OperationCanceledException) ?? failed.InnerExceptions[0];
            ExceptionDispatchInfo.Capture(first).Throw();
            throw;
        }
    }

    /// <summary>The note, called by one thread at a time.</summary>
    public static Action<string> Serialized(Action<string> note)
    {
        var gate = new object();
        return message =>
        {
            lock (gate)
                note(message);
        };
    }
}
