namespace Container.Runtime.Images;

/// <summary>How far an import or export is: what it is doing, bytes done of bytes in all (0 when unknown).</summary>
public sealed record ImportProgress(string Activity, long Done, long Total)
{
    public int Percent => Total > 0 ? (int)Math.Min(100, Done * 100 / Total) : -1;
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
