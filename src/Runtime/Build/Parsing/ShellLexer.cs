namespace Container.Runtime.Build.Parsing;

/// <summary>
/// Docker's shell-word processing (buildkit's shell.Lex): quotes removed, escapes applied and
/// <c>$VAR</c>, <c>${VAR}</c> and <c>${VAR:-default}</c>-style expansions substituted, as the
/// build does for the words of ENV, LABEL, ARG, COPY, WORKDIR, USER and the others. A lookup
/// that returns null means the variable is unset, which is not the same as empty.
/// </summary>
public sealed class ShellLexer
{
    /// <summary>A lexer for the given escape token: <c>\</c>, or <c>`</c> after <c># escape=`</c>.</summary>
    public ShellLexer(char escapeToken = '\\')
    {
        if (escapeToken is not ('\\' or '`'))
            throw new ArgumentException($"The escape token must be \\ or `, not '{escapeToken}'.", nameof(escapeToken));
        EscapeToken = escapeToken;
    }

    public char EscapeToken { get; }

    /// <summary>Quotes kept in the result (the parser asks, to tell a quoted heredoc word).</summary>
    internal bool RawQuotes { get; init; }

    /// <summary>Escape tokens kept in the result.</summary>
    internal bool RawEscapes { get; init; }

    /// <summary>An unset variable's reference left as written instead of emptied.</summary>
    internal bool SkipUnsetVariables { get; init; }

    /// <summary>Quotes are plain characters: what a heredoc's body gets.</summary>
    internal bool QuotesAreLiteral { get; init; }

    /// <summary>One word: the whole text expanded and unquoted, its spaces kept.</summary>
    public string ProcessWord(string word, Func<string, string?> lookup)
    {
        ArgumentNullException.ThrowIfNull(word);
        ArgumentNullException.ThrowIfNull(lookup);
        return new ShellExpansion(this, word, lookup).Run().Text;
    }

    /// <summary>
    /// The text expanded, then split on the whitespace that was not quoted or escaped (what a
    /// variable's value brings is split too, as docker does for COPY, ADD, VOLUME, EXPOSE).
    /// </summary>
    public IReadOnlyList<string> ProcessWords(string text, Func<string, string?> lookup)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(lookup);
        return new ShellExpansion(this, text, lookup).Run().Words;
    }

    /// <summary>
    /// A heredoc body, as buildkit expands one whose delimiter was not quoted: variables
    /// substituted and backslash escapes applied, quotes left alone. Always with <c>\</c>, as buildkit.
    /// </summary>
    public static string ExpandHeredoc(string content, Func<string, string?> lookup) =>
        new ShellLexer { QuotesAreLiteral = true }.ProcessWord(content, lookup);
}
