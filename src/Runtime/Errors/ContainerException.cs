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
}
