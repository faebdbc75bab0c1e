using System.Text;
using System.Text.RegularExpressions;

namespace Container.Runtime.Text;

/// <summary>
/// PowerShell's wildcards (*, ?, [abc], [a-z], with ` to escape), implemented here so the
/// engine, not the cmdlet, decides what a name matches.
/// </summary>
public sealed class Wildcard
{
    private readonly Regex regex;

    private Wildcard(string pattern) => regex = new Regex(ToRegex(pattern), RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    public static bool IsPattern(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '`')
                i++;
            else if (text[i] is '*' or '?' or '[')
                return true;
        }
        return false;
    }

    public static Wildcard Parse(string pattern) => new(pattern);

    public bool IsMatch(string text) => regex.IsMatch(text);

    /// <summary>
    /// The one thing a list of names or patterns names literally (escapes removed); null when it
    /// holds several, or a pattern: what a command whose input streams to a single target asks.
    /// </summary>
    public static string? SoleLiteral(IReadOnlyList<string> namesOrPatterns) =>
        namesOrPatterns.Count == 1 && !IsPattern(namesOrPatterns[0]) ? Unescape(namesOrPatterns[0]) : null;

    /// <summary>The text a pattern without wildcards stands for (escapes removed).</summary>
    public static string Unescape(string text) => text.Replace("`", "", StringComparison.Ordinal);

    private static string ToRegex(string pattern)
    {
        var sb = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '`' when i + 1 < pattern.Length:
                    sb.Append(Regex.Escape(pattern[++i].ToString()));
                    break;
                case '*':
                    sb.Append(".*");
                    break;
                case '?':
                    sb.Append('.');
                    break;
                case '[':
                    var end = pattern.IndexOf(']', i + 1);
                    if (end < 0)
                    {
                        sb.Append(@"\[");
                        break;
                    }
                    sb.Append('[').Append(pattern[(i + 1)..end].Replace(@"\", @"\\")).Append(']');
                    i = end;
                    break;
                default:
                    sb.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }
        return sb.Append('$').ToString();
    }
}
