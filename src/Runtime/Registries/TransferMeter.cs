using System.Diagnostics;
using Container.Runtime.Images;

namespace Container.Runtime.Registries;

/// <summary>
/// The bytes of a pull's or push's blobs as they pass, reported for each blob (a part, with its
/// own rate) and for the whole, as docker shows each layer and the total; at most every tenth
/// of a second for each, so that a fast transfer does not drown the pipeline in records.
/// </summary>
internal sealed class TransferMeter(string activity, long total, IProgress<ImportProgress>? progress)
{
    private static readonly long ReportEvery = Stopwatch.Frequency / 10;
    private readonly IProgress<ImportProgress>? reports = progress;
    private readonly long started = Stopwatch.GetTimestamp();
    private long done;
    private long lastReport;

    /// <summary>A blob's stream, counted as it is read, as part number part.</summary>
    public Stream Measure(Stream blob, int part, string what, long size) =>
        reports == null ? blob : new MeteredStream(blob, this, part, what, size);

    /// <summary>A part's end (its bar goes), with what became of it, for -Verbose, if it was not sent.</summary>
    public void End(int part, string what, string? note = null)
    {
        if (reports == null)
            return;
        if (note != null)
            reports.Report(new ImportProgress(what, 0, 0) { Note = note });
        reports.Report(new ImportProgress(what, 0, 0) { Part = part, Ended = true });
    }

    private void Add(long bytes, long now)
    {
        var sum = Interlocked.Add(ref done, bytes);
        var last = Interlocked.Read(ref lastReport);
        if (now - last >= ReportEvery && Interlocked.CompareExchange(ref lastReport, now, last) == last)
            reports!.Report(new ImportProgress(activity, sum, total) { BytesPerSecond = Rate(sum, started, now) });
    }

    private static double Rate(long bytes, long since, long now) => bytes / Math.Max(Stopwatch.GetElapsedTime(since, now).TotalSeconds, 1e-3);

    private sealed class MeteredStream(Stream inner, TransferMeter meter, int part, string what, long size) : Storage.ReadOnlyStream
    {
        private readonly long started = Stopwatch.GetTimestamp();
        private long read;
        private long lastReport;

        public override long Length => inner.Length;
        public override long Position { get => read; set => throw new NotSupportedException(); }

        public override int Read(Span<byte> buffer)
        {
            var n = inner.Read(buffer);
            read += n;
            var now = Stopwatch.GetTimestamp();
            meter.Add(n, now);
            if (n == 0 || now - lastReport >= ReportEvery)
            {
                lastReport = now;
                meter.reports!.Report(new ImportProgress(what, read, size) { Part = part, BytesPerSecond = Rate(read, started, now) });
            }
            return n;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
