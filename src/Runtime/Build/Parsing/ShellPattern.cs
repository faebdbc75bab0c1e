using System.Text;
using System.Text.RegularExpressions;
using Container.Runtime.Errors;

namespace Container.Runtime.Build.Parsing;

/// <summary>
/// The shell patterns of <c>${VAR#pattern}</c>, <c>${VAR%pattern}</c> and <c>${VAR/pattern/x}</c>:
/// <c>*</c> any run, <c>?</c> one character, <c>\</c> escapes <c>*</c>, <c>?</c> and <c>\</c>;
/// no bracket expressions, as buildkit.
/// </summary>
internal static class ShellPattern
{
    public static string TrimPrefix(string pattern, string value, bool longest, Func<string, ContainerException> fail)
    {
        var match = ToRegex(pattern, longest, anchored: true, fail).Match(value);
        return match.Success ? value[(match.Index + match.Length)..] : value;
    }

    // A regex cannot find the shortest match that ends a string, so both are reversed and the prefix trimmed.
    public static string TrimSuffix(string pattern, string value, bool longest, Func<string, ContainerException> fail) =>
        Reverse(TrimPrefix(ReversePattern(pattern), Reverse(value), longest, fail));

    public static string Replace(string pattern, string value, string replacement, bool all, Func<string, ContainerException> fail)
    {
        var regex = ToRegex(pattern, longest: true, anchored: false, fail);
        return all
            ? regex.Replace(value, _ => replacement)
            : regex.Replace(value, _ => replacement, 1);
    }

    internal static Regex ToRegex(string pattern, bool longest, bool anchored, Func<string, ContainerException> fail)
    {
        var runes = pattern.EnumerateRunes().ToArray();
        var regex = new StringBuilder(anchored ? "^" : "");
        for (var i = 0; i < runes.Length; i++)
        {
            var rune = runes[i];
            switch (rune.Value)
            {
                case '*':
                    regex.Append(longest ? ".*" : ".*?");
                    continue;
                case '?':
                    regex.Append('.');
                    continue;
                case '\\':
                    // A \ before } or / only kept them from closing the ${}; it is no part of the pattern.
                    if (i + 1 < runes.Length && runes[i + 1].Value is '}' or '/')
                        continue;
                    if (i + 1 >= runes.Length || runes[i + 1].Value is not ('*' or '?' or '\\'))
                    {
                        var escaped = i + 1 < runes.Length ? runes[i + 1].ToString() : "";
                        throw fail($"invalid pattern ({pattern}) in substitution: invalid escape '\\{escaped}'");
                    }

                    regex.Append('\\');
                    rune = runes[++i];
                    break;
                case '[' or ']' or '{' or '}' or '.' or '+' or '(' or ')' or '|' or '^' or '$':
                    regex.Append('\\');
                    break;
            }

            regex.Append(rune.ToString());
        }

        return new Regex(regex.ToString(), RegexOptions.CultureInvariant);
    }

    // Reversed by code point, an escape staying in front of what it escapes: a\*c becomes c\*a.
    internal static string ReversePattern(string pattern)
    {
        var runes = pattern.EnumerateRunes().ToArray();
        var reversed = new Rune[runes.Length];
        var last = runes.Length - 1;
        for (var i = 0; i <= last;)
        {
            if (runes[i].Value == '\\' && i != last)
            {
                reversed[last - i - 1] = runes[i];
                reversed[last - i] = runes[i + 1];
                i += 2;
            }
            else
            {
                reversed[last - i] = runes[i];
                i++;
            }
        }

        return string.Concat(reversed.Select(r => r.ToString()));
    }

    internal static string Reverse(string text) =>
        string.Concat(text.EnumerateRunes().Reverse().Select(r => r.ToString()));
}
