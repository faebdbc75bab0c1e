namespace Container.Runtime.Errors;

/// <summary>
/// What kind of failure an error is. The names are those of PowerShell's
/// ErrorCategory, so the module maps one onto the other by name; the engine
/// stays free of any PowerShell reference.
/// </summary>
public enum ErrorKind
{
    NotSpecified,
    InvalidArgument,
    InvalidData,
    InvalidOperation,
    ObjectNotFound,
    ResourceExists,
    ResourceBusy,
    ResourceUnavailable,
    PermissionDenied,
    NotInstalled,
    NotImplemented,
    OperationStopped,
    OperationTimeout,
    OpenError,
    ReadError,
    WriteError,
    LimitsExceeded,
    SecurityError,
    AuthenticationError,
    ConnectionError,
    ProtocolError,
}
