using System.Collections.Concurrent;
using System.Management.Automation;
using Container.Runtime;
using Container.Runtime.Containers;
using Container.Runtime.Errors;
using Container.Runtime.Images;
using Container.Runtime.Logs;

namespace Container.Module.Cmdlets;

/// <summary>
/// What every cmdlet of the module shares: the engine for this call's store, Ctrl+C as
/// a cancellation token, and engine errors written as ErrorRecords.
/// </summary>
public abstract class ContainerCmdlet : PSCmdlet
{
    private readonly CancellationTokenSource cancellation = new();
    private readonly List<string> pipelineInput = [];
    private StreamedInput? streamed;
    private bool streamStarted;
    private ContainerEngine? engine;

    /// <summary>
    /// The first cmdlet of a session begins the engine's start-up work (StartupWarmUp) on another
    /// thread, while pwsh binds its parameters on this one: the JSON metadata its container needs
    /// is then built on the other core before the engine asks for it.
    /// </summary>
    static ContainerCmdlet() => StartupWarmUp.Start();

    /// <summary>Made per call, so CONTAINER_ROOT is read each time.</summary>
    protected ContainerEngine Engine => engine ??= ContainerEngine.FromEnvironment();

    protected CancellationToken Cancellation => cancellation.Token;

    protected override void StopProcessing() => cancellation.Cancel();

    /// <summary>Whether this is a dry run (-WhatIf, or $WhatIfPreference), as ShouldProcess reads it: a cmdlet that tells a plan step by step asks before making one.</summary>
    protected bool IsWhatIf => MyInvocation.BoundParameters.TryGetValue("WhatIf", out var value)
        ? ((SwitchParameter)value).IsPresent
        : LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference", false));

    /// <summary>Where the activity ids of a work's parts (its layers) start, after the works' own.</summary>
    private const int PartActivities = 100;

    /// <summary>
    /// Runs long work on another thread and shows its progress here: WriteProgress may only be
    /// called on the pipeline's thread, and the engine reports from its workers. A part's bar
    /// (a layer's) stands under the work's; a note is written to the verbose stream.
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
            if (report.Note != null)
                WriteVerbose(report.Note);
            else
                WriteProgress(new ProgressRecord(report.Part < 0 ? activityId : activityId + PartActivities + report.Part, report.Activity, report.Status)
                {
                    PercentComplete = report.Percent,
                    ParentActivityId = report.Part < 0 ? -1 : activityId,
                    RecordType = report.Ended ? ProgressRecordType.Completed : ProgressRecordType.Processing,
                });
        WriteProgress(new ProgressRecord(activityId, "Done", "Done") { RecordType = ProgressRecordType.Completed });
        return task.GetAwaiter().GetResult();
    }

    /// <summary><see cref="WithProgress{T}"/> for work that returns nothing.</summary>
    protected void WithProgress(int activityId, Action<IProgress<ImportProgress>> work) =>
        WithProgress(activityId, progress =>
        {
            work(progress);
            return true;
        });

    private sealed class QueueProgress(BlockingCollection<ImportProgress> queue) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => queue.TryAdd(value);
    }

    /// <summary>
    /// Runs work that reports lines from other threads (a process in a container) and writes
    /// them here as they come: its output to the pipeline, its errors to the error stream.
    /// </summary>
    protected T WithOutputLines<T>(object target, Func<Action<LogStream, string>, CancellationToken, T> work)
    {
        using var lines = new OutputLines<T>(Cancellation, work);
        return lines.WriteToEnd((stream, text) => WriteLine(stream, text, target));
    }

    /// <summary>A line a container wrote: output to the pipeline, errors to the error stream (as a native command's are).</summary>
    protected void WriteLine(LogStream stream, string text, object target)
    {
        if (stream == LogStream.Stdout)
            WriteObject(text);
        else
            WriteError(ErrorRecords.StandardError(text, target));
    }

    /// <summary>A -Timeout or -StopTimeout in seconds, null when not given (the engine's default).</summary>
    protected static TimeSpan? Seconds(int? seconds) => seconds is { } s ? TimeSpan.FromSeconds(s) : null;

    /// <summary>As a native command leaves it: $LASTEXITCODE.</summary>
    protected void SetLastExitCode(int exitCode) => SessionState.PSVariable.Set("global:LASTEXITCODE", exitCode);

    /// <summary>
    /// Runs a container's process as pwsh runs a native command: $LASTEXITCODE is its exit
    /// code, or when it could not run, the failure's (125, 126, 127), the failure an error.
    /// </summary>
    protected void RunAsNativeCommand(Func<int> run) => ForEachItem(() =>
    {
        try
        {
            SetLastExitCode(run());
        }
        catch (ContainerException e)
        {
            SetLastExitCode(e.ExitCode);
            throw;
        }
    });

    /// <summary>One record of pipeline input for a process's stdin, as a native command takes it: a string as it is, anything else as its text.</summary>
    protected static string InputLine(PSObject value) => value.BaseObject as string ?? value.ToString();

    /// <summary>A record of pipeline input kept for a process's stdin, which it gets once the input has all come.</summary>
    protected void GatherInput(PSObject value) => pipelineInput.Add(InputLine(value));

    /// <summary>
    /// A record of pipeline input to the stdin of the process start starts with the first record
    /// (null: refused, or -WhatIf; the input is then dropped). Ended by <see cref="EndStreamedInput"/>.
    /// </summary>
    private protected void StreamInput(PSObject value, Func<StreamedInput?> start)
    {
        if (!streamStarted)
        {
            streamStarted = true;
            ForEachItem(() => streamed = start());
        }
        streamed?.Add(InputLine(value), WriteLine);
    }

    /// <summary>The streamed input's end: the process's exit code to $LASTEXITCODE once it has exited. False when nothing was streamed.</summary>
    protected bool EndStreamedInput()
    {
        if (!streamStarted)
            return false;
        if (streamed is { } process)
            using (process)
                RunAsNativeCommand(() => process.Finish(WriteLine));
        return true;
    }

    /// <summary>The pipeline input gathered, for the process's stdin once the pipeline's input has ended; null when none came.</summary>
    protected ProcessInput? GatheredInput => pipelineInput.Count > 0 ? ProcessInput.FromLines(pipelineInput) : null;

    /// <summary>
    /// Each container the references name (names, ids, wildcards), each processed on its own
    /// (one failing stops no other), by a reference that names it as the user did.
    /// </summary>
    protected void ForEachContainer(IEnumerable<string> references, Action<string> process)
    {
        foreach (var reference in references)
            ForEachItem(() =>
            {
                foreach (var target in Engine.Containers.Select(reference))
                    ForEachItem(() => process(target));
            });
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
        catch (OperationCanceledException e)
        {
            // the pipeline is stopping: its streams take nothing more, the host still does
            if (e is RunInterruptedException { Warning: { } warning })
                Host.UI.WriteWarningLine(warning);
            throw new PipelineStoppedException();
        }
    }
}
