namespace Container.Runtime.Containers;

/// <summary>One side of a copy: a path on the host, or one in a container ("web:/etc/hosts"), as docker cp reads them.</summary>
public sealed record CopyEndpoint(string? Container, string Path)
{
    public bool IsContainer => Container != null;

    /// <summary>
    /// "name:path" is in a container; an absolute path, or one with a '/' before its first
    /// ':' ("./a:b"), is on the host, as is anything without a ':'.
    /// </summary>
    public static CopyEndpoint Parse(string text)
    {
        var colon = text.IndexOf(':');
        if (text.StartsWith('/') || colon <= 0 || text[..colon].Contains('/'))
            return new CopyEndpoint(null, text);
        return new CopyEndpoint(text[..colon], text[(colon + 1)..]);
    }

    /// <summary>The two sides of a copy: exactly one of them in a container.</summary>
    public static (CopyEndpoint Source, CopyEndpoint Destination) ParsePair(string source, string destination)
    {
        var (from, to) = (Parse(source), Parse(destination));
        if (from.IsContainer == to.IsContainer)
            throw OneSideMustBeAContainer(source, destination);
        if ((from.IsContainer ? from : to).Path.Length == 0)
            throw Errors.Errors.InvalidArgument("CopyNeedsOneContainer", "A path in the container is needed after the ':'.", source);
        return (from, to);
    }

    internal static Errors.ContainerException OneSideMustBeAContainer(object source, object destination) =>
        Errors.Errors.InvalidArgument("CopyNeedsOneContainer",
            $"One side of a copy must be in a container ('name:/path') and the other on this host: '{source}' -> '{destination}'.", source);

    public override string ToString() => Container != null ? $"{Container}:{Path}" : Path;

    /// <summary>A host path made absolute by resolve, keeping the trailing "/" or "/." that docker cp reads.</summary>
    public CopyEndpoint ResolveHostPath(Func<string, string> resolve)
    {
        if (IsContainer)
            return this;
        var suffix = Path.EndsWith("/.", StringComparison.Ordinal) ? "/." : Path.Length > 1 && Path.EndsWith('/') ? "/" : "";
        var bare = Path[..(Path.Length - suffix.Length)];
        var joined = resolve(bare.Length == 0 ? "/" : bare).TrimEnd('/') + suffix;
        return this with { Path = joined.Length == 0 ? "/" : joined };
    }
}
