using System.Text;
using Container.Runtime.Errors;

namespace Container.Runtime.Build.Parsing;

/// <summary>
/// One run of <see cref="ShellLexer"/> over one text: a cursor over its code points, and the
/// expansion rules of buildkit's shell.Lex. The result is both the one word and the split words.
/// </summary>
internal sealed class ShellExpansion
{
    private const int End = -1;

    private readonly ShellLexer _lexer;
    private readonly string _source;
    private readonly Func<string, string?> _lookup;
    private int _position;
    private bool _rawEscapes;

    public ShellExpansion(ShellLexer lexer, string source, Func<string, string?> lookup)
    {
        _lexer = lexer;
        _source = source;
        _lookup = lookup;
        _rawEscapes = lexer.RawEscapes;
    }

    public (string Text, IReadOnlyList<string> Words) Run() => ProcessUntil(End, _lexer.RawEscapes);

    private bool AtEnd => _position >= _source.Length;

    private int Peek()
    {
        if (AtEnd)
            return End;
        return Rune.TryGetRuneAt(_source, _position, out var rune) ? rune.Value : _source[_position];
    }

    private int Next()
    {
        var ch = Peek();
        if (ch != End)
            _position += ch > char.MaxValue ? 2 : 1;
        return ch;
    }

    private ContainerException Fail(string why) => Errors.Errors.DockerfileVariable(_source, why);

    /// <summary>Reads to the end, or to <paramref name="stop"/> (consumed), which must then come.</summary>
    private (string Text, IReadOnlyList<string> Words) ProcessUntil(int stop, bool rawEscapes)
    {
        var result = new StringBuilder();
        var words = new WordCollector();
        var outerRawEscapes = _rawEscapes;
        _rawEscapes = rawEscapes;
        try
        {
            while (Peek() != End)
            {
                var ch = Peek();
                if (stop != End && ch == stop)
                {
                    Next();
                    return (result.ToString(), words.Finish());
                }

                if (ch == '$')
                {
                    var value = ProcessDollar();
                    result.Append(value);
                    words.AddExpanded(value);
                }
                else if (ch == '<')
                {
                    var value = ProcessPossibleHeredoc();
                    result.Append(value);
                    words.AddLiteral(value);
                }
                else if (ch is ('\'' or '"') && !_lexer.QuotesAreLiteral)
                {
                    var value = ch == '\'' ? ProcessSingleQuote() : ProcessDoubleQuote();
                    result.Append(value);
                    words.AddLiteral(value);
                }
                else
                {
                    ch = Next();
                    if (ch == _lexer.EscapeToken)
                    {
                        if (_rawEscapes)
                        {
                            words.AddLiteral(ch);
                            AppendRune(result, ch);
                        }

                        ch = Next();
                        if (ch == End)
                            break;
                        words.AddLiteral(ch);
                    }
                    else
                    {
                        words.Add(ch);
                    }

                    AppendRune(result, ch);
                }
            }
        }
        finally
        {
            _rawEscapes = outerRawEscapes;
        }

        if (stop != End)
            throw Fail($"unexpected end of statement while looking for matching {char.ConvertFromUtf32(stop)}");
        return (result.ToString(), words.Finish());
    }

    private string ProcessSingleQuote()
    {
        var result = new StringBuilder();
        var ch = Next();
        if (_lexer.RawQuotes)
            AppendRune(result, ch);

        while (true)
        {
            ch = Next();
            if (ch == End)
                throw Fail("unexpected end of statement while looking for matching single-quote");
            if (ch == '\'')
            {
                if (_lexer.RawQuotes)
                    AppendRune(result, ch);
                return result.ToString();
            }

            AppendRune(result, ch);
        }
    }

    // Inside double quotes the escape token escapes only ", $ and itself; elsewhere it stays.
    private string ProcessDoubleQuote()
    {
        var result = new StringBuilder();
        var ch = Next();
        if (_lexer.RawQuotes)
            AppendRune(result, ch);

        while (true)
        {
            switch (Peek())
            {
                case End:
                    throw Fail("unexpected end of statement while looking for matching double-quote");
                case '"':
                    ch = Next();
                    if (_lexer.RawQuotes)
                        AppendRune(result, ch);
                    return result.ToString();
                case '$':
                    result.Append(ProcessDollar());
                    break;
                default:
                    ch = Next();
                    if (ch == _lexer.EscapeToken)
                    {
                        if (_rawEscapes)
                            AppendRune(result, ch);
                        var following = Peek();
                        if (following == End)
                            continue;
                        if (following == '"' || following == '$' || following == _lexer.EscapeToken)
                            ch = Next();
                    }

                    AppendRune(result, ch);
                    break;
            }
        }
    }

    private string ProcessDollar()
    {
        Next();
        if (Peek() != '{')
        {
            var plain = ProcessName();
            if (plain.Length == 0)
                return "$";
            var plainValue = _lookup(plain);
            if (plainValue is null && _lexer.SkipUnsetVariables)
                return "$" + plain;
            return plainValue ?? "";
        }

        Next();
        switch (Peek())
        {
            case End:
                throw Fail("syntax error: missing '}'");
            case '{' or '}' or ':':
                throw Fail("syntax error: bad substitution");
        }

        var name = ProcessName();
        var modifier = Next();
        if (modifier == End)
            throw Fail("syntax error: missing '}'");
        if (modifier == '}')
        {
            var value = _lookup(name);
            if (value is null && _lexer.SkipUnsetVariables)
                return "${" + name + "}";
            return value ?? "";
        }

        if (modifier == '/')
            return ProcessReplacement(name);

        var written = char.ConvertFromUtf32(modifier);
        var nullIsUnset = false;
        if (modifier == ':')
        {
            nullIsUnset = true;
            modifier = Next();
            written += modifier == End ? "" : char.ConvertFromUtf32(modifier);
        }
        else if (modifier is not ('+' or '-' or '?' or '#' or '%'))
        {
            throw Fail($"unsupported modifier ({written}) in substitution");
        }

        var isPattern = modifier is '#' or '%';
        if (nullIsUnset && isPattern)
            throw Fail($"unsupported modifier ({written}) in substitution");

        var word = ReadOperand('}', isPattern, "syntax error: missing '}'");
        var current = _lookup(name);
        if (current is null && _lexer.SkipUnsetVariables)
            return "${" + name + written + word + "}";

        var unset = current is null || (nullIsUnset && current.Length == 0);
        switch (modifier)
        {
            case '-':
                return unset ? word : current!;
            case '+':
                return unset ? "" : word;
            case '?':
                if (current is null)
                    throw Fail($"{name}: {(word.Length > 0 ? word : "is not allowed to be unset")}");
                if (nullIsUnset && current.Length == 0)
                    throw Fail($"{name}: {(word.Length > 0 ? word : "is not allowed to be empty")}");
                return current;
            case '#' or '%':
                var longest = word.Length > 0 && word[0] == modifier;
                if (longest)
                    word = word[1..];
                return modifier == '%'
                    ? ShellPattern.TrimSuffix(word, current ?? "", longest, Fail)
                    : ShellPattern.TrimPrefix(word, current ?? "", longest, Fail);
            default:
                throw Fail($"unsupported modifier ({written}) in substitution");
        }
    }

    // ${VAR/pattern/replacement} replaces the first match, ${VAR//pattern/replacement} every one.
    private string ProcessReplacement(string name)
    {
        var all = Peek() == '/';
        if (all)
            Next();

        var pattern = ReadOperand('/', true, "syntax error: missing '/' in ${}");
        var replacement = ReadOperand('}', true, "syntax error: missing '}'");
        var value = _lookup(name);
        if (value is null && _lexer.SkipUnsetVariables)
            return "${" + name + "/" + pattern + "/" + replacement + "}";
        return ShellPattern.Replace(pattern, value ?? "", replacement, all, Fail);
    }

    // An operand that runs into the end of the text is reported as its missing closer.
    private string ReadOperand(int stop, bool rawEscapes, string missing)
    {
        try
        {
            return ProcessUntil(stop, rawEscapes).Text;
        }
        catch (ContainerException) when (AtEnd)
        {
            throw Fail(missing);
        }
    }

    // A name: letters, digits and _, or all digits (a positional parameter), or one special parameter.
    private string ProcessName()
    {
        var name = new StringBuilder();
        while (Peek() != End)
        {
            var ch = Peek();
            if (name.Length == 0 && IsDigit(ch))
            {
                while (Peek() != End && IsDigit(Peek()))
                    AppendRune(name, Next());
                return name.ToString();
            }

            if (name.Length == 0 && ch is '@' or '*' or '#' or '?' or '-' or '$' or '!' or '0')
                return char.ConvertFromUtf32(Next());
            if (!IsLetter(ch) && !IsDigit(ch) && ch != '_')
                break;
            AppendRune(name, Next());
        }

        return name.ToString();
    }

    // "<<" with the blanks after it is kept as one piece, so that a heredoc word stays one word.
    private string ProcessPossibleHeredoc()
    {
        Next();
        if (Peek() != '<')
            return "<";
        Next();
        var result = new StringBuilder("<<");
        while (Peek() is '\t' or '\r' or ' ')
            AppendRune(result, Next());
        return result.ToString();
    }

    private static bool IsDigit(int ch) => Rune.IsValid(ch) && Rune.IsDigit(new Rune(ch));

    private static bool IsLetter(int ch) => Rune.IsValid(ch) && Rune.IsLetter(new Rune(ch));

    internal static bool IsSpace(int ch) => Rune.IsValid(ch) && Rune.IsWhiteSpace(new Rune(ch));

    internal static void AppendRune(StringBuilder builder, int ch)
    {
        if (ch <= char.MaxValue)
            builder.Append((char)ch);
        else
            builder.Append(char.ConvertFromUtf32(ch));
    }

    /// <summary>
    /// The words of an expansion: literal text (quoted, escaped) never splits, what a variable
    /// brings splits on its whitespace, and a word that ends up empty is dropped.
    /// </summary>
    private sealed class WordCollector
    {
        private readonly List<string> _words = [];
        private readonly StringBuilder _current = new();
        private bool _inWord;

        public void Add(int ch)
        {
            if (!IsSpace(ch))
            {
                AddLiteral(ch);
            }
            else if (_inWord && _current.Length > 0)
            {
                _words.Add(_current.ToString());
                _current.Clear();
                _inWord = false;
            }
        }

        public void AddLiteral(int ch)
        {
            AppendRune(_current, ch);
            _inWord = true;
        }

        public void AddLiteral(string text)
        {
            _current.Append(text);
            _inWord = true;
        }

        public void AddExpanded(string text)
        {
            foreach (var rune in text.EnumerateRunes())
                Add(rune.Value);
        }

        public IReadOnlyList<string> Finish()
        {
            if (_current.Length > 0)
            {
                _words.Add(_current.ToString());
                _current.Clear();
                _inWord = false;
            }

            return _words;
        }
    }
}
