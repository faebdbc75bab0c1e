using System.Management.Automation;
using Container.Runtime.Errors;

namespace Container.Module;

/// <summary>Engine errors as PowerShell errors: the engine's id, a category of the same name, the target.</summary>
internal static class ErrorRecords
{
    public static ErrorRecord From(ContainerException e) =>
        new(e, e.ErrorId, Category(e.Kind), e.Target);

    /// <summary>ErrorKind's names are ErrorCategory's (a test holds them to it).</summary>
    public static ErrorCategory Category(ErrorKind kind) =>
        Enum.TryParse<ErrorCategory>(kind.ToString(), out var category) ? category : ErrorCategory.NotSpecified;
}
