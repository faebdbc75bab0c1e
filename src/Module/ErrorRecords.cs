using System.Management.Automation;
using Container.Runtime.Errors;

namespace Container.Module;

/// <summary>Engine errors as PowerShell errors: the engine's id, a category of the same name, the target.</summary>
internal static class ErrorRecords
{
    public static ErrorRecord From(ContainerException e) =>
        new(e, e.ErrorId, Category(e.Kind), e.Target);

    /// <summary>A line a container's process wrote to stderr, as PowerShell shows a native command's.</summary>
    public static ErrorRecord StandardError(string line, object target) =>
        new(new ContainerStandardErrorException(line), "ContainerStandardError", ErrorCategory.NotSpecified, target);

    /// <summary>ErrorKind's names are ErrorCategory's (a test holds them to it).</summary>
    public static ErrorCategory Category(ErrorKind kind) =>
        Enum.TryParse<ErrorCategory>(kind.ToString(), out var category) ? category : ErrorCategory.NotSpecified;
}

/// <summary>What a process in a container wrote to stderr: its message is the line, as it was written.</summary>
public sealed class ContainerStandardErrorException(string line) : Exception(line);
