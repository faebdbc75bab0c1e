namespace Container.Runtime.Errors;

/// <summary>
/// Every failure the engine reports: a stable id a script can test
/// (<c>ContainerNotFound</c>), its kind, and the object it concerns. The module
/// turns it into an ErrorRecord with these three.
/// </summary>
public sealed class ContainerException : Exception
{
    public ContainerException(string errorId, ErrorKind kind, string message, object? target = null, Exception? inner = null)
        : base(message, inner)
    {
        ErrorId = errorId;
        Kind = kind;
        Target = target;
    }

    public string ErrorId { get; }

    public ErrorKind Kind { get; }

    public object? Target { get; }

    /// <summary>
    /// What a native command would leave in $LASTEXITCODE for this failure: 125 (the tool
    /// failed), or 126 and 127 when the command itself could not be run (Containers.ExitCodes).
    /// </summary>
    public int ExitCode { get; private set; } = Containers.ExitCodes.ToolFailed;

    internal ContainerException WithExitCode(int exitCode)
    {
        ExitCode = exitCode;
        return this;
    }
}
