using System.Text;
using System.Text.RegularExpressions;

namespace Container.Runtime.Build.Context;

/// <summary>
/// Go's path.Clean and filepath.Match, which docker and buildkit apply to .dockerignore lines and
/// COPY sources: the same input must select the same files here.
/// </summary>
internal static class GoPath
{
    /// <summary>path.Clean: one slash between names, no '.' names, '..' folded into its parent (never above a root), "." for nothing.</summary>
    public static string Clean(string path)
    {
        if (path.Length == 0)
            return ".";
        var rooted = path[0] == '/';
        var names = new List<string>();
        foreach (var name in path.Split('/'))
        {
            if (name.Length == 0 || name == ".")
                continue;
            if (name == "..")
            {
                if (names.Count > 0 && names[^1] != "..")
                    names.RemoveAt(names.Count - 1);
                else if (!rooted)
                    names.Add("..");
                continue;
            }
            names.Add(name);
        }
        var joined = string.Join('/', names);
        return rooted ? "/" + joined : joined.Length == 0 ? "." : joined;
    }

    /// <summary>Whether a pattern has any of filepath.Match's special characters.</summary>
    public static bool HasWildcard(string pattern) => pattern.AsSpan().IndexOfAny("*?[\\") >= 0;

    /// <summary>filepath.Match of one pattern against one name: '*' and '?' never match '/'.</summary>
    public static bool Match(string pattern, string name) => SegmentRegex(pattern).IsMatch(name);

    /// <summary>A pattern for filepath.Match as an anchored regular expression; malformed ones throw ArgumentException.</summary>
    public static Regex SegmentRegex(string pattern)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var ch = pattern[i];
            switch (ch)
            {
                case '*':
                    regex.Append("[^/]*");
                    break;
                case '?':
                    regex.Append("[^/]");
                    break;
                case '[':
                    i = AppendClass(pattern, i, regex);
                    break;
                case '\\':
                    if (++i == pattern.Length)
                        throw new ArgumentException("a trailing '\\' escapes nothing");
                    regex.Append(Literal(pattern[i]));
                    break;
                default:
                    regex.Append(Literal(ch));
                    break;
            }
        }
        return new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant);
    }

    /// <summary>
    /// A '[...]' class from position start (its '['), as Go reads it: '^' first negates, 'a-z' is
    /// a range, '\' escapes; returns the position of its ']'.
    /// </summary>
    public static int AppendClass(string pattern, int start, StringBuilder regex)
    {
        var i = start + 1;
        regex.Append('[');
        if (i < pattern.Length && pattern[i] == '^')
        {
            regex.Append('^');
            i++;
        }
        var members = 0;
        while (true)
        {
            if (i >= pattern.Length)
                throw new ArgumentException("a '[' class is not closed");
            if (pattern[i] == ']' && members > 0)
                break;
            var low = ClassChar(pattern, ref i);
            if (i + 1 < pattern.Length && pattern[i] == '-' && pattern[i + 1] != ']')
            {
                i++;
                var high = ClassChar(pattern, ref i);
                if (high < low)
                    throw new ArgumentException("a '[' class has a range that runs backwards");
                regex.Append(Literal(low)).Append('-').Append(Literal(high));
            }
            else
            {
                regex.Append(Literal(low));
            }
            members++;
        }
        regex.Append(']');
        return i;
    }

    private static char ClassChar(string pattern, ref int i)
    {
        if (pattern[i] == '\\')
        {
            if (++i == pattern.Length)
                throw new ArgumentException("a trailing '\\' escapes nothing");
        }
        return pattern[i++];
    }

    /// <summary>One character as itself, whatever it means to a regular expression, in a class or not.</summary>
    public static string Literal(char ch) => char.IsAsciiLetterOrDigit(ch) ? ch.ToString() : $"\\u{(int)ch:X4}";
}
