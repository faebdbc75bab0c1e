using System.Globalization;
using System.Text;

namespace Container.Runtime.Registries;

/// <summary>
/// The part of TOML that registries.conf is written in: [table] and [[array of tables]] headers,
/// key = value with bare or quoted keys, and values that are strings (basic and literal),
/// booleans, integers or arrays of them, over several lines, with # comments. Values are
/// string, bool, long or IReadOnlyList&lt;string&gt; (arrays hold strings in registries.conf).
/// A header's dotted name ([[registry.mirror]]) is kept whole, as a name of its own.
/// </summary>
internal sealed class TomlSubset
{
    private readonly Dictionary<string, Dictionary<string, object>> tables = new(StringComparer.Ordinal) { [""] = new() };
    private readonly Dictionary<string, List<Dictionary<string, object>>> arrays = new(StringComparer.Ordinal);

    public object? Value(string table, string key) => tables.GetValueOrDefault(table)?.GetValueOrDefault(key);

    public IReadOnlyDictionary<string, object> Table(string name) => tables.GetValueOrDefault(name) ?? new();

    public IReadOnlyList<IReadOnlyDictionary<string, object>> Tables(string name) => arrays.GetValueOrDefault(name) ?? [];

    public static TomlSubset Parse(string text, string file) => new Parser(text, file).Run();

    private sealed class Parser(string text, string file)
    {
        private readonly TomlSubset document = new();
        private int at;
        private int line = 1;

        public TomlSubset Run()
        {
            var current = document.tables[""];
            while (SkipBlank())
            {
                if (Peek() == '[')
                    current = Header();
                else
                {
                    var key = Key();
                    SkipSpaces();
                    Expect('=');
                    SkipSpaces();
                    current[key] = Value();
                }
                EndOfLine();
            }
            return document;
        }

        private Dictionary<string, object> Header()
        {
            var array = text.AsSpan(at).StartsWith("[[");
            at += array ? 2 : 1;
            SkipSpaces();
            var name = new StringBuilder(Key());
            SkipSpaces();
            while (Peek() == '.')
            {
                at++;
                SkipSpaces();
                name.Append('.').Append(Key());
                SkipSpaces();
            }
            Expect(']');
            if (array)
                Expect(']');
            var table = new Dictionary<string, object>(StringComparer.Ordinal);
            if (array)
            {
                if (!document.arrays.TryGetValue(name.ToString(), out var list))
                    document.arrays[name.ToString()] = list = [];
                list.Add(table);
                return table;
            }
            return document.tables.TryGetValue(name.ToString(), out var existing) ? existing : document.tables[name.ToString()] = table;
        }

        private string Key()
        {
            if (Peek() is '"' or '\'')
                return QuotedString();
            var start = at;
            while (at < text.Length && (char.IsAsciiLetterOrDigit(text[at]) || text[at] is '_' or '-'))
                at++;
            return at > start ? text[start..at] : throw Invalid("a key");
        }

        private object Value()
        {
            switch (Peek())
            {
                case '"' or '\'':
                    return QuotedString();
                case '[':
                    return Array();
                case 't' when text.AsSpan(at).StartsWith("true"):
                    at += 4;
                    return true;
                case 'f' when text.AsSpan(at).StartsWith("false"):
                    at += 5;
                    return false;
            }
            var start = at;
            while (at < text.Length && (char.IsAsciiDigit(text[at]) || text[at] is '-' or '+' or '_'))
                at++;
            return long.TryParse(text[start..at].Replace("_", ""), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
                ? number
                : throw Invalid("a value");
        }

        private List<string> Array()
        {
            at++;
            var items = new List<string>();
            while (true)
            {
                SkipBlank();
                if (Peek() == ']')
                {
                    at++;
                    return items;
                }
                items.Add(Value() as string ?? throw Invalid("a string in the array"));
                SkipBlank();
                if (Peek() == ',')
                    at++;
                else if (Peek() != ']')
                    throw Invalid("',' or ']'");
            }
        }

        private string QuotedString()
        {
            var quote = text[at++];
            var value = new StringBuilder();
            while (at < text.Length && text[at] != quote && text[at] != '\n')
            {
                if (quote == '"' && text[at] == '\\' && at + 1 < text.Length)
                {
                    at++;
                    value.Append(text[at] switch
                    {
                        'n' => "\n",
                        't' => "\t",
                        'r' => "\r",
                        'u' when at + 4 < text.Length => ((char)Convert.ToInt32(text.Substring(at + 1, 4), 16)).ToString(),
                        var other => other.ToString(),
                    });
                    if (text[at] == 'u')
                        at += 4;
                }
                else
                    value.Append(text[at]);
                at++;
            }
            Expect(quote);
            return value.ToString();
        }

        /// <summary>Past spaces, comments and line ends; false at the end of the text.</summary>
        private bool SkipBlank()
        {
            while (at < text.Length)
            {
                if (text[at] == '#')
                    while (at < text.Length && text[at] != '\n')
                        at++;
                else if (char.IsWhiteSpace(text[at]))
                {
                    if (text[at] == '\n')
                        line++;
                    at++;
                }
                else
                    return true;
            }
            return false;
        }

        private void SkipSpaces()
        {
            while (at < text.Length && text[at] is ' ' or '\t')
                at++;
        }

        private void EndOfLine()
        {
            SkipSpaces();
            if (at < text.Length && text[at] is not ('\n' or '\r' or '#'))
                throw Invalid("the end of the line");
        }

        private char Peek() => at < text.Length ? text[at] : '\0';

        private void Expect(char c)
        {
            if (Peek() != c)
                throw Invalid($"'{c}'");
            at++;
        }

        private Errors.ContainerException Invalid(string expected) =>
            Errors.Errors.InvalidArgument("InvalidRegistriesConf", $"'{file}' line {line}: {expected} was expected.", file);
    }
}
