namespace Container.Runtime.Containers;

/// <summary>What New-Container asks for. Anything left null comes from the image or the defaults.</summary>
public sealed class ContainerSpec
{
    public required string Image { get; init; }

    public string? Name { get; init; }

    /// <summary>Replaces the image's Cmd.</summary>
    public IReadOnlyList<string>? Command { get; init; }

    /// <summary>Replaces the image's Entrypoint (and drops its Cmd, as docker does).</summary>
    public IReadOnlyList<string>? Entrypoint { get; init; }

    /// <summary>Added to the image's environment; a name set here wins.</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    public string? WorkingDirectory { get; init; }

    public string? User { get; init; }

    /// <summary>Defaults to the container's name.</summary>
    public string? Hostname { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    /// <summary>container-runtime (ours, the default), crun or runc, or a path to an OCI runtime.</summary>
    public string? Runtime { get; init; }
}
