using System.Text.RegularExpressions;

namespace Container.Runtime.Build.Parsing;

/// <summary>
/// The heredocs an instruction's line opens, found as buildkit finds them: each shell word of
/// the line that reads <c>[n]&lt;&lt;[-]WORD</c>; WORD quoted in any part means no expansion.
/// </summary>
internal static partial class HeredocWords
{
    private static readonly ShellLexer LineLexer = new() { RawQuotes = true, RawEscapes = true, SkipUnsetVariables = true };
    private static readonly ShellLexer NameLexer = new() { SkipUnsetVariables = true };
    private static readonly ShellLexer RawNameLexer = new() { RawQuotes = true, SkipUnsetVariables = true };

    /// <summary>A heredoc's opening: its delimiter, whether its body is expanded, whether tabs are stripped.</summary>
    public readonly record struct Opening(string Name, bool Expand, bool StripTabs);

    public static IReadOnlyList<Opening> Find(string line, int lineNumber)
    {
        IReadOnlyList<string> words;
        try
        {
            words = LineLexer.ProcessWords(line, Unset);
        }
        catch (Errors.ContainerException)
        {
            // A line the shell rules cannot split (an open quote) opens no heredoc, as in buildkit.
            return [];
        }

        var openings = new List<Opening>();
        foreach (var word in words)
        {
            if (TryRead(word, lineNumber) is { } opening)
                openings.Add(opening);
        }

        return openings;
    }

    private static Opening? TryRead(string word, int lineNumber)
    {
        var match = OpeningPattern().Match(word);
        if (!match.Success || match.Groups[3].Value.Length == 0)
            return null;

        var rest = match.Groups[3].Value;
        IReadOnlyList<string> names, rawNames;
        try
        {
            names = NameLexer.ProcessWords(rest, Unset);
            rawNames = RawNameLexer.ProcessWords(rest, Unset);
        }
        catch (Errors.ContainerException e)
        {
            throw Errors.Errors.DockerfileParse(lineNumber, $"heredoc delimiter {rest}: {e.Message.TrimEnd('.')}");
        }

        if (names.Count != 1 || rawNames.Count != 1)
            return null;

        // Quotes that the unquoting removed mean that some part of the delimiter was quoted.
        var expand = CountQuotes(names[0]) == CountQuotes(rawNames[0]);
        return new Opening(names[0], expand, match.Groups[2].Value == "-");
    }

    private static int CountQuotes(string text) => text.Count(c => c is '\'' or '"');

    private static string? Unset(string name) => null;

    [GeneratedRegex(@"^([0-9]*)<<(-?)[\t\n\f\r ]*([^<]*)\z")]
    private static partial Regex OpeningPattern();
}
