using System.Text;

namespace Container.Runtime.Compose.Loading;

/// <summary>
/// Docker compose's .env files (and env_file:): KEY=VALUE lines (KEY: VALUE too), '#' comments,
/// an 'export ' prefix, a KEY alone taking its value from the environment; values unquoted (up
/// to a ' #' comment, trimmed), in single quotes (literal), or in double quotes (escapes \n \t
/// \" \\ \$ ..., may span lines). Unquoted and double-quoted values are interpolated, from the
/// environment first, then from the keys above.
/// </summary>
internal static class DotEnv
{
    public static Dictionary<string, string> Parse(string text, string file, Func<string, string?> environment)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        string? Lookup(string name) => environment(name) ?? values.GetValueOrDefault(name);
        if (text.StartsWith('\uFEFF'))
            text = text[1..];
        text = text.Replace("\r\n", "\n");
        var at = 0;
        var line = 1;
        while (true)
        {
            at = StatementStart(text, at, ref line);
            if (at >= text.Length)
                return values;
            if (text.AsSpan(at).StartsWith("export") && at + 6 < text.Length && text[at + 6] is ' ' or '\t')
                at = SkipBlanks(text, at + 6);
            var keyStart = at;
            while (at < text.Length && text[at] is not ('=' or ':' or '\n'))
            {
                var c = text[at];
                if (!(char.IsLetterOrDigit(c) || c is '_' or '.' or '-' or '[' or ']' or ' ' or '\t'))
                    throw Invalid(file, line, $"unexpected character '{c}' in variable name '{text[keyStart..LineEnd(text, keyStart)]}'");
                at++;
            }
            var key = text[keyStart..at].TrimEnd();
            if (key.Contains(' ') || key.Contains('\t'))
                throw Invalid(file, line, "a key cannot contain a space");
            if (at >= text.Length || text[at] == '\n')
            {
                if (environment(key) is { } inherited)
                    values[key] = inherited;
                continue;
            }
            at = SkipBlanks(text, at + 1);
            values[key] = Value(text, ref at, ref line, file, Lookup);
        }
    }

    private static string Value(string text, ref int at, ref int line, string file, Func<string, string?> lookup)
    {
        if (at >= text.Length || text[at] is not ('"' or '\''))
        {
            var end = LineEnd(text, at);
            var raw = text[at..end];
            var comment = raw.IndexOf(" #", StringComparison.Ordinal);
            if (comment >= 0)
                raw = raw[..comment];
            at = end;
            return Expand(raw.TrimEnd(), file, line, lookup);
        }
        var quote = text[at];
        var startLine = line;
        var value = new StringBuilder();
        var escaped = false;
        for (var i = at + 1; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n')
                line++;
            if (c != quote || escaped)
            {
                if (!escaped && c == '\\')
                {
                    escaped = true;
                    continue;
                }
                if (escaped && c != quote)
                    value.Append('\\');
                escaped = false;
                value.Append(c);
                continue;
            }
            at = i + 1;
            return quote == '"' ? Expand(Unescape(value.ToString()), file, startLine, lookup) : value.ToString();
        }
        throw Invalid(file, startLine, $"unterminated quoted value {text[at..LineEnd(text, at)]}");
    }

    /// <summary>The escapes of a double-quoted value; \$ becomes $$, which interpolation reads as a literal '$'.</summary>
    private static string Unescape(string value)
    {
        var result = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] != '\\' || i + 1 == value.Length)
            {
                result.Append(value[i]);
                continue;
            }
            var next = value[i + 1];
            string? replacement = next switch
            {
                'a' => "\a", 'b' => "\b", 'f' => "\f", 'n' => "\n", 'r' => "\r", 't' => "\t", 'v' => "\v",
                '"' => "\"", '\\' => "\\", '$' => "$$",
                _ => null,
            };
            if (replacement != null)
            {
                result.Append(replacement);
                i++;
            }
            else if (next == '0')
            {
                var end = i + 2;
                while (end < value.Length && end < i + 5 && value[end] is >= '0' and <= '7')
                    end++;
                result.Append(end == i + 2 ? '\0' : (char)Convert.ToInt32(value[(i + 2)..end], 8));
                i = end - 1;
            }
            else
                result.Append('\\');
        }
        return result.ToString();
    }

    private static string Expand(string value, string file, int line, Func<string, string?> lookup)
    {
        try
        {
            return Interpolation.Expand(value, lookup);
        }
        catch (TemplateException e) when (e.Variable != null)
        {
            throw Errors.Errors.ComposeVariableRequired($"{file}, line {line}", e.Variable, e.Message);
        }
        catch (TemplateException e)
        {
            throw Invalid(file, line, e.Message);
        }
    }

    /// <summary>The start of the next statement, past blank space and comment lines.</summary>
    private static int StatementStart(string text, int at, ref int line)
    {
        while (at < text.Length)
        {
            if (text[at] == '\n')
                line++;
            if (text[at] == '#')
            {
                at = LineEnd(text, at);
                continue;
            }
            if (!char.IsWhiteSpace(text[at]))
                return at;
            at++;
        }
        return at;
    }

    private static int SkipBlanks(string text, int at)
    {
        while (at < text.Length && text[at] is ' ' or '\t' or '\r' or '\v' or '\f')
            at++;
        return at;
    }

    private static int LineEnd(string text, int at)
    {
        var end = text.IndexOf('\n', at);
        return end < 0 ? text.Length : end;
    }

    private static Exception Invalid(string file, int line, string why) => Errors.Errors.ComposeFileInvalid($"{file}, line {line}", "", why);
}
