namespace Container.Runtime.Containers;

/// <summary>
/// Ctrl+C during an attached run: SIGINT was passed to the container (docker's sig-proxy)
/// and the run ended. Warning, when set, says the container lives on and how to end it.
/// </summary>
public sealed class RunInterruptedException(string? warning) : OperationCanceledException("The run was interrupted.")
{
    public string? Warning { get; } = warning;

    internal static string Outlived(string name, bool remove) =>
        $"Container '{name}' is still running: it did not exit on the SIGINT of Ctrl+C{(remove ? ", so it is not removed" : "")}. " +
        $"Stop-Container {name} stops it.";
}
