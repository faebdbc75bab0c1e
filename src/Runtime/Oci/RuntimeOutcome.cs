namespace Container.Runtime.Oci;

/// <summary>What an OCI runtime answered to one command: done, or the line that says why not.</summary>
internal sealed record RuntimeOutcome(string Runtime, string Command, string? ErrorText)
{
    public bool Succeeded => ErrorText == null;

    /// <summary>RuntimeFailed, naming target (the container as the user named it), unless the runtime did it.</summary>
    public void ThrowIfFailed(object? target)
    {
        if (ErrorText != null)
            throw Errors.Errors.RuntimeFailed(Runtime, Command, ErrorText, target);
    }
}
