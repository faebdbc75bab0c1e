namespace Container.Runtime.Containers;

/// <summary>A process to run in a running container (docker exec); null keeps the container's own setting.</summary>
public sealed class ExecSpec
{
    public required IReadOnlyList<string> Command { get; init; }

    /// <summary>A name or uid[:gid], resolved in the container's own /etc/passwd.</summary>
    public string? User { get; init; }

    /// <summary>Set on top of the container's environment.</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    public string? WorkingDirectory { get; init; }
}
