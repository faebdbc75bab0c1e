namespace Container.Runtime.Monitor;

/// <summary>
/// Hands a container to its monitor, which runs the runtime's create and start and records the
/// run (run.json) before it answers. The engine gets it from ContainerEngine, so a test can
/// give it another.
/// </summary>
internal interface IContainerMonitor
{
    /// <returns>The host pid of the container's init; ContainerStartFailed (its exit code 125, 126 or 127) when it did not start.</returns>
    int Start(ContainerMonitor.Options options, string reference, CancellationToken cancellation);
}
