using System.Text;

namespace Container.Runtime.Compose.Loading;

/// <summary>A template that cannot be expanded: a required variable without a value, or a malformed ${...}.</summary>
internal sealed class TemplateException(string? variable, string why) : Exception(why)
{
    /// <summary>The required variable that has no value; null for a malformed template.</summary>
    public string? Variable { get; } = variable;
}

/// <summary>
/// Compose's variable syntax: $VAR, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error},
/// ${VAR?error}, ${VAR:+alternative}, ${VAR+alternative}, nested in the default, alternative and
/// message (${A:-${B}}), and $$ for a literal $. An unset variable is the empty string; a '$'
/// that starts none of these is kept as it is.
/// </summary>
internal static class Interpolation
{
    public static string Expand(string text, Func<string, string?> lookup)
    {
        if (!text.Contains('$'))
            return text;
        var result = new StringBuilder(text.Length);
        var at = 0;
        while (at < text.Length)
        {
            var c = text[at];
            if (c != '$' || at + 1 == text.Length)
            {
                result.Append(c);
                at++;
                continue;
            }
            var next = text[at + 1];
            if (next == '$')
            {
                result.Append('$');
                at += 2;
            }
            else if (IsNameStart(next))
            {
                var end = NameEnd(text, at + 1);
                result.Append(lookup(text[(at + 1)..end]) ?? "");
                at = end;
            }
            else if (next == '{')
            {
                var close = ClosingBrace(text, at + 2) ?? throw new TemplateException(null, $"invalid template: '{text}'");
                result.Append(Braced(text[(at + 2)..close], text, lookup));
                at = close + 1;
            }
            else
            {
                result.Append(c);
                at++;
            }
        }
        return result.ToString();
    }

    private static readonly string[] Operators = [":-", ":?", ":+", "-", "?", "+"];

    private static string Braced(string body, string text, Func<string, string?> lookup)
    {
        var nameEnd = body.Length > 0 && IsNameStart(body[0]) ? NameEnd(body, 0) : 0;
        if (nameEnd == 0)
            throw new TemplateException(null, $"invalid template: '{text}'");
        var name = body[..nameEnd];
        var value = lookup(name);
        if (nameEnd == body.Length)
            return value ?? "";
        var op = Operators.FirstOrDefault(o => body.AsSpan(nameEnd).StartsWith(o, StringComparison.Ordinal))
            ?? throw new TemplateException(null, $"invalid template: '{text}'");
        var argument = body[(nameEnd + op.Length)..];
        var emptyCounts = op[0] == ':';
        var present = value != null && !(emptyCounts && value.Length == 0);
        switch (op[^1])
        {
            case '-':
                return present ? value! : Expand(argument, lookup);
            case '+':
                return present ? Expand(argument, lookup) : value ?? "";
            default:
                if (present)
                    return value!;
                throw new TemplateException(name, Expand(argument, lookup));
        }
    }

    /// <summary>The index of the '}' that closes a ${ whose body starts at start, counting nested braces.</summary>
    private static int? ClosingBrace(string text, int start)
    {
        var depth = 1;
        for (var i = start; i < text.Length; i++)
        {
            if (text[i] == '{')
                depth++;
            else if (text[i] == '}' && --depth == 0)
                return i;
        }
        return null;
    }

    private static bool IsNameStart(char c) => c == '_' || char.IsAsciiLetter(c);

    private static int NameEnd(string text, int start)
    {
        var end = start;
        while (end < text.Length && (text[end] == '_' || char.IsAsciiLetterOrDigit(text[end])))
            end++;
        return end;
    }
}
