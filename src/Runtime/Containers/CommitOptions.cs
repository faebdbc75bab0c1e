namespace Container.Runtime.Containers;

/// <summary>What a commit changes in the config the new image takes from its container (null keeps it).</summary>
public sealed class CommitOptions
{
    public IReadOnlyList<string>? Command { get; init; }

    public IReadOnlyList<string>? Entrypoint { get; init; }

    /// <summary>Set on top of the container's environment.</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    public string? WorkingDirectory { get; init; }

    public string? Author { get; init; }

    /// <summary>The history comment, as docker commit -m.</summary>
    public string? Message { get; init; }
}
