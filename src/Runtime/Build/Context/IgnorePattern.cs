using System.Text;
using System.Text.RegularExpressions;

namespace Container.Runtime.Build.Context;

/// <summary>
/// One .dockerignore pattern, as moby/patternmatcher compiles it: '*' and '?' within a name,
/// '**' across any number of names, '[...]' classes, '\' escapes; '!' makes it an exception.
/// Like patternmatcher, a pattern with no wildcard but a leading or trailing '**' is a plain
/// suffix or prefix test (so "**.txt" matches "a.txt"), and only the rest are expressions.
/// </summary>
internal sealed class IgnorePattern
{
    private enum Kind { Exact, Prefix, Suffix, Expression }

    private readonly Kind kind;
    private readonly Regex? regex;

    public IgnorePattern(string pattern, bool exception)
    {
        Text = pattern;
        IsException = exception;
        Segments = pattern.Split('/');
        try
        {
            (kind, regex) = Compile(pattern);
        }
        catch (ArgumentException e)
        {
            throw Errors.Errors.InvalidIgnorePattern(exception ? "!" + pattern : pattern, e.Message);
        }
    }

    /// <summary>The cleaned pattern, without its '!'.</summary>
    public string Text { get; }

    public bool IsException { get; }

    public string[] Segments { get; }

    public bool Matches(string path)
    {
        switch (kind)
        {
            case Kind.Exact:
                return path == Text;
            case Kind.Prefix:
                return path.StartsWith(Text[..^2], StringComparison.Ordinal);
            case Kind.Suffix:
                var suffix = Text[2..];
                // "**/a" matches "a" itself too
                return path.EndsWith(suffix, StringComparison.Ordinal) || (suffix.Length > 0 && suffix[0] == '/' && path == suffix[1..]);
            default:
                return regex!.IsMatch(path);
        }
    }

    private static (Kind, Regex?) Compile(string pattern)
    {
        var regex = new StringBuilder("^");
        var kind = Kind.Exact;
        for (var i = 0; i < pattern.Length; i++)
        {
            var start = i;
            var ch = pattern[i];
            if (ch == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                i++;
                // "**/" is "**": the slash is eaten, so "**/a" matches "a" at the root too
                if (i + 1 < pattern.Length && pattern[i + 1] == '/')
                    i++;
                if (i + 1 == pattern.Length)
                {
                    if (kind == Kind.Exact)
                    {
                        kind = Kind.Prefix;
                    }
                    else
                    {
                        regex.Append(".*");
                        kind = Kind.Expression;
                    }
                }
                else
                {
                    regex.Append("(.*/)?");
                    kind = Kind.Expression;
                }
                if (start == 0)
                    kind = Kind.Suffix;
            }
            else if (ch == '*')
            {
                regex.Append("[^/]*");
                kind = Kind.Expression;
            }
            else if (ch == '?')
            {
                regex.Append("[^/]");
                kind = Kind.Expression;
            }
            else if (ch == '[')
            {
                i = GoPath.AppendClass(pattern, i, regex);
                kind = Kind.Expression;
            }
            else if (ch == '\\')
            {
                // patternmatcher keeps a trailing '\' as a literal one
                if (i + 1 < pattern.Length)
                {
                    regex.Append(GoPath.Literal(pattern[++i]));
                    kind = Kind.Expression;
                }
                else
                {
                    regex.Append(GoPath.Literal('\\'));
                }
            }
            else
            {
                regex.Append(GoPath.Literal(ch));
            }
        }
        return kind == Kind.Expression
            ? (kind, new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant))
            : (kind, null);
    }
}
