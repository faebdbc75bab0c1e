using System.Collections.Concurrent;
using System.Management.Automation;
using Container.Runtime.Build;
using Container.Runtime.Logs;

namespace Container.Module.Cmdlets;

/// <summary>
/// A long engine call (a build, a project's up) run on a thread of its own, its reports
/// written on the pipeline's (the only one that may write) as they come: each build step a
/// progress bar, RUN's lines to the information stream (tagged stdout or stderr), notes (the
/// cache's, each container's action) to the verbose stream.
/// </summary>
internal sealed class PipelineRelay : IBuildLog, IDisposable
{
    private const int Activity = 3;

    private readonly BlockingCollection<Action<Cmdlet>> writes = [];

    /// <summary>Runs the call on another thread, writing its reports here as they come.</summary>
    public static T Run<T>(Cmdlet cmdlet, Func<IBuildLog, T> build)
    {
        using var relay = new PipelineRelay();
        var task = Task.Run(() =>
        {
            try
            {
                return build(relay);
            }
            finally
            {
                relay.writes.CompleteAdding();
            }
        });
        foreach (var write in relay.writes.GetConsumingEnumerable())
            write(cmdlet);
        cmdlet.WriteProgress(new ProgressRecord(Activity, "Building", "Done") { RecordType = ProgressRecordType.Completed });
        return task.GetAwaiter().GetResult();
    }

    public void Step(BuildStepReport step) => writes.Add(cmdlet => cmdlet.WriteProgress(
        new ProgressRecord(Activity, $"Building: step {step.Number} of {step.Count}", $"[{step.Stage}] {step.Instruction}{(step.Cached ? " (cached)" : "")}")
        {
            PercentComplete = Math.Min(100, 100 * (step.Number - 1) / Math.Max(1, step.Count)),
        }));

    public void Output(LogStream stream, string line) =>
        writes.Add(cmdlet => cmdlet.WriteInformation(line, [stream == LogStream.Stdout ? "stdout" : "stderr"]));

    public void Note(string message) => writes.Add(cmdlet => cmdlet.WriteVerbose(message));

    public void Dispose() => writes.Dispose();
}
