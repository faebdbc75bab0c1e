namespace Container.Runtime.Containers;

/// <summary>
/// The exit codes a run or an exec leaves when its command did not run, as docker and podman
/// give them (a shell's for 126 and 127): what $LASTEXITCODE says after Invoke-ContainerImage.
/// </summary>
public static class ExitCodes
{
    /// <summary>The tool failed: a bad argument, no such image, the runtime failed.</summary>
    public const int ToolFailed = 125;

    /// <summary>The command was found but could not be run (not executable, no permission).</summary>
    public const int CannotInvoke = 126;

    public const int NotFound = 127;

    /// <summary>
    /// From an OCI runtime's error starting a process. Ours, runc and crun say it in these
    /// words: "executable file not found in $PATH", or the exec's own "no such file or
    /// directory" and "permission denied".
    /// </summary>
    public static int ForRuntimeError(string message)
    {
        if (message.Contains("executable file not found", StringComparison.OrdinalIgnoreCase)
            || message.Contains("not found in $PATH", StringComparison.OrdinalIgnoreCase))
            return NotFound;
        if (!message.Contains("exec", StringComparison.OrdinalIgnoreCase))
            return ToolFailed;
        if (message.Contains("no such file or directory", StringComparison.OrdinalIgnoreCase))
            return NotFound;
        if (message.Contains("permission denied", StringComparison.OrdinalIgnoreCase) || message.Contains("exec format error", StringComparison.OrdinalIgnoreCase))
            return CannotInvoke;
        return ToolFailed;
    }

    /// <summary>True when the command could not be run, as opposed to the tool failing around it.</summary>
    public static bool IsCommandFailure(int exitCode) => exitCode is CannotInvoke or NotFound;
}
