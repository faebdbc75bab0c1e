namespace Container.Runtime.Compose;

/// <summary>
/// Several logs, each in its own order, as one in time order: the earliest head first, a tie
/// to the log given first. Each log's own order is kept even where its times are not sorted
/// (its stdout and stderr are stamped as they are read), since that is the order it wrote.
/// </summary>
public static class LogMerge
{
    public static IEnumerable<ProjectLogEntry> ByTime(IReadOnlyList<IEnumerable<ProjectLogEntry>> logs)
    {
        var readers = logs.Select(l => l.GetEnumerator()).ToList();
        try
        {
            var heads = new PriorityQueue<int, (DateTimeOffset Time, int Log)>();
            for (var i = 0; i < readers.Count; i++)
                if (readers[i].MoveNext())
                    heads.Enqueue(i, (readers[i].Current.Time, i));
            while (heads.TryDequeue(out var log, out _))
            {
                yield return readers[log].Current;
                if (readers[log].MoveNext())
                    heads.Enqueue(log, (readers[log].Current.Time, log));
            }
        }
        finally
        {
            foreach (var reader in readers)
                reader.Dispose();
        }
    }
}
