using System.Collections.Concurrent;
using System.Management.Automation;
using Container.Runtime;
using Container.Runtime.Errors;
using Container.Runtime.Images;

namespace Container.Module.Cmdlets;

/// <summary>
/// What every cmdlet of the module shares: the engine for this call's store, Ctrl+C as
/// a cancellation token, and engine errors written as ErrorRecords.
/// </summary>
public abstract class ContainerCmdlet : PSCmdlet
{
    private readonly CancellationTokenSource cancellation = new();
    private ContainerEngine? engine;

    /// <summary>Made per call, so CONTAINER_ROOT is read each time.</summary>
    protected ContainerEngine Engine => engine ??= ContainerEngine.FromEnvironment();

    protected CancellationToken Cancellation => cancellation.Token;

    protected override void StopProcessing() => cancellation.Cancel();

    /// <summary>
    /// Runs long work on another thread and shows its progress here: WriteProgress may only be
    /// called on the pipeline's thread, and the engine reports from its workers.
    /// </summary>
    protected T WithProgress<T>(int activityId, Func<IProgress<ImportProgress>, T> work)
    {
        using var reports = new BlockingCollection<ImportProgress>();
        var task = Task.Run(() =>
        {
            try
            {
                return work(new QueueProgress(reports));
            }
            finally
            {
                reports.CompleteAdding();
            }
        });
        foreach (var report in reports.GetConsumingEnumerable())
            WriteProgress(new ProgressRecord(activityId, report.Activity, report.Total > 0 ? $"{report.Done:N0} of {report.Total:N0}" : $"{report.Done:N0}")
            {
                PercentComplete = report.Percent,
            });
        WriteProgress(new ProgressRecord(activityId, "Done", "Done") { RecordType = ProgressRecordType.Completed });
        return task.GetAwaiter().GetResult();
    }

    private sealed class QueueProgress(BlockingCollection<ImportProgress> queue) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => queue.TryAdd(value);
    }

    /// <summary>Runs one item's work; its failure is a non-terminating error, and the pipeline goes on.</summary>
    protected void ForEachItem(Action action)
    {
        try
        {
            action();
        }
        catch (ContainerException e)
        {
            WriteError(ErrorRecords.From(e));
        }
        catch (OperationCanceledException)
        {
            throw new PipelineStoppedException();
        }
    }
}
