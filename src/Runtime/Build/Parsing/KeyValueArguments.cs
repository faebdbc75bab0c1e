using System.Text.RegularExpressions;

namespace Container.Runtime.Build.Parsing;

/// <summary>
/// ENV's and LABEL's pairs: <c>key=value key2="v 2"</c>, or the legacy <c>ENV key value with
/// spaces</c> (one pair, the value everything after the key). Keys and values are expanded
/// with the variables as they stood before the instruction, as docker does.
/// </summary>
public static partial class KeyValueArguments
{
    /// <summary>The instruction's pairs, in order, each key and value expanded and unquoted.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Parse(Instruction instruction, ShellLexer lexer, Func<string, string?> lookup)
    {
        ArgumentNullException.ThrowIfNull(instruction);
        ArgumentNullException.ThrowIfNull(lexer);
        ArgumentNullException.ThrowIfNull(lookup);
        return Split(instruction, lexer.EscapeToken)
            .Select(pair => KeyValuePair.Create(lexer.ProcessWord(pair.Key, lookup), lexer.ProcessWord(pair.Value, lookup)))
            .ToList();
    }

    /// <summary>The pairs as written (quotes and variables left in); throws, naming the line, on a malformed one.</summary>
    internal static IReadOnlyList<KeyValuePair<string, string>> Split(Instruction instruction, char escapeToken)
    {
        var keyword = instruction.Keyword;
        var words = DockerfileWords.Split(instruction.Arguments, escapeToken);
        if (words.Count == 0)
            throw Errors.Errors.DockerfileParse(instruction.Line, $"{keyword} requires at least one argument");

        if (!words[0].Contains('=', StringComparison.Ordinal))
        {
            var parts = Blanks().Split(instruction.Arguments, 2);
            if (parts.Length < 2)
                throw Errors.Errors.DockerfileParse(instruction.Line, $"{keyword} must have two arguments");
            return [KeyValuePair.Create(parts[0], parts[1])];
        }

        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var word in words)
        {
            var equals = word.IndexOf('=');
            if (equals < 0)
                throw Errors.Errors.DockerfileParse(instruction.Line, $"syntax error - can't find = in \"{word}\"; it must be of the form name=value");
            if (equals == 0)
                throw Errors.Errors.DockerfileParse(instruction.Line, $"{keyword} names can not be blank");
            pairs.Add(KeyValuePair.Create(word[..equals], word[(equals + 1)..]));
        }

        return pairs;
    }

    [GeneratedRegex("[\t\v\f\r ]+")]
    private static partial Regex Blanks();
}
