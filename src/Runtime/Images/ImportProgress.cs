namespace Container.Runtime.Images;

/// <summary>
/// How far an import, export, pull or push is: what it is doing, done of all (0 when unknown),
/// for the whole or for one part of it (a layer, shown under the whole as docker shows each).
/// </summary>
public sealed record ImportProgress(string Activity, long Done, long Total)
{
    public int Percent => Total > 0 ? (int)Math.Min(100, Done * 100 / Total) : -1;

    /// <summary>The part this is of (0, 1, ...: a bar of its own under the whole), or -1 for the whole.</summary>
    public int Part { get; init; } = -1;

    /// <summary>Done and Total are bytes, moving at this rate (bytes a second); null when they are counts.</summary>
    public double? BytesPerSecond { get; init; }

    /// <summary>The part is over: its bar goes.</summary>
    public bool Ended { get; init; }

    /// <summary>Something worth telling on the way, -Verbose's (a blob skipped or mounted), rather than a step.</summary>
    public string? Note { get; init; }

    /// <summary>What the bar says: 12.3 MB of 40.1 MB (25.0 MB/s), or 3 of 4.</summary>
    public string Status => BytesPerSecond is { } rate
        ? $"{Text.ByteSize.Format(Done)}{(Total > 0 ? $" of {Text.ByteSize.Format(Total)}" : "")} ({Text.ByteSize.Format((long)rate)}/s)"
        : Total > 0 ? $"{Done:N0} of {Total:N0}" : $"{Done:N0}";
}

/// <summary>The one copy loop that reports progress by the position of the stream being read.</summary>
internal static class Copy
{
    public static void WithProgress(Stream from, Stream to, Stream measured, string activity, IProgress<ImportProgress>? progress,
        CancellationToken cancellation = default)
    {
        var buffer = new byte[1 << 16];
        var total = measured.CanSeek ? measured.Length : 0;
        var lastReport = 0L;
        int n;
        while ((n = from.Read(buffer)) > 0)
        {
            cancellation.ThrowIfCancellationRequested();
            to.Write(buffer, 0, n);
            if (progress != null && measured.Position - lastReport > 1 << 22)
            {
                lastReport = measured.Position;
                progress.Report(new ImportProgress(activity, lastReport, total));
            }
        }
    }
}
