using System.Management.Automation;
using Container.Runtime;
using Container.Runtime.Errors;

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
