namespace Container.Runtime.Build.Context;

/// <summary>
/// A .dockerignore file's rules, read and applied as docker's CLI and moby/patternmatcher do:
/// '#' comments and blank lines dropped, each line trimmed and cleaned (a leading '/' dropped),
/// '!' lines re-include, and the last pattern that matches a path (or one of its parents) decides.
/// </summary>
public sealed class IgnoreRules
{
    private readonly IReadOnlyList<IgnorePattern> patterns;

    private IgnoreRules(IReadOnlyList<IgnorePattern> patterns) => this.patterns = patterns;

    /// <summary>Rules that exclude nothing.</summary>
    public static IgnoreRules None { get; } = new([]);

    /// <summary>The patterns as cleaned, exceptions with their '!', in file order.</summary>
    public IReadOnlyList<string> Patterns => [.. patterns.Select(p => p.IsException ? "!" + p.Text : p.Text)];

    /// <summary>Whether any '!' exception exists (without one, an excluded directory can be skipped whole).</summary>
    public bool HasExceptions => patterns.Any(p => p.IsException);

    /// <summary>Rules from a .dockerignore file's text.</summary>
    public static IgnoreRules Parse(string text)
    {
        var parsed = new List<IgnorePattern>();
        // docker's CLI drops a UTF-8 byte order mark before the first line
        foreach (var raw in text.TrimStart('\uFEFF').Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
                continue;
            var exception = line[0] == '!';
            if (exception)
            {
                line = line[1..].Trim();
                if (line.Length == 0)
                    throw Errors.Errors.InvalidIgnorePattern("!", "an exception needs a pattern");
            }
            line = GoPath.Clean(line);
            if (line.Length > 1 && line[0] == '/')
                line = line[1..];
            parsed.Add(new IgnorePattern(line, exception));
        }
        return new IgnoreRules(parsed);
    }

    /// <summary>
    /// The rules for a build: buildkit's '&lt;Dockerfile&gt;.dockerignore' beside the Dockerfile
    /// when there is one, else the context root's .dockerignore, else none.
    /// </summary>
    public static IgnoreRules Read(string contextDir, string? dockerfilePath = null)
    {
        if (dockerfilePath is not null)
        {
            var specific = Path.Combine(contextDir, dockerfilePath) + ".dockerignore";
            if (File.Exists(specific))
                return Parse(File.ReadAllText(specific));
        }
        var common = Path.Combine(contextDir, ".dockerignore");
        return File.Exists(common) ? Parse(File.ReadAllText(common)) : None;
    }

    /// <summary>Whether the path (relative to the context root, forward slashes) is left out of the context.</summary>
    public bool Excludes(string relativePath)
    {
        var path = GoPath.Clean(relativePath.TrimStart('/'));
        // the context root itself is never left out
        if (path == ".")
            return false;
        var parents = path.Split('/')[..^1];
        var excluded = false;
        foreach (var pattern in patterns)
        {
            // an exclusion cannot change an excluded path, nor an exception an included one
            if (pattern.IsException != excluded)
                continue;
            var match = pattern.Matches(path);
            for (var i = 1; !match && i <= parents.Length; i++)
                match = pattern.Matches(string.Join('/', parents[..i]));
            if (match)
                excluded = !pattern.IsException;
        }
        return excluded;
    }

    /// <summary>
    /// Whether an exception could re-include something under the directory (relative to the
    /// context root): when not, an excluded directory is skipped without reading it.
    /// </summary>
    public bool MayIncludeUnder(string relativeDir)
    {
        var names = GoPath.Clean(relativeDir.TrimStart('/')).Split('/');
        foreach (var pattern in patterns)
        {
            if (pattern.IsException && MayMatchBelow(pattern.Segments, names))
                return true;
        }
        return false;
    }

    private static bool MayMatchBelow(string[] segments, string[] names)
    {
        for (var i = 0; i < names.Length; i++)
        {
            if (i >= segments.Length || segments[i].Contains("**", StringComparison.Ordinal))
                return true;
            try
            {
                if (!GoPath.Match(segments[i], names[i]))
                    return false;
            }
            catch (ArgumentException)
            {
                return true;
            }
        }
        return true;
    }
}
