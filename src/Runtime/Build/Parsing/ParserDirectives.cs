using System.Text.RegularExpressions;

namespace Container.Runtime.Build.Parsing;

/// <summary>
/// The parser directives (<c># syntax=</c>, <c># escape=</c>, <c># check=</c>) as buildkit reads
/// them: only in comment lines before any other line, each at most once; the first line that is
/// not a directive ends them, and a later one is an ordinary comment.
/// </summary>
internal sealed partial class ParserDirectives
{
    private static readonly HashSet<string> Known = ["syntax", "escape", "check"];
    private readonly HashSet<string> _seen = [];
    private bool _done;

    public char EscapeToken { get; private set; } = '\\';

    public string? Syntax { get; private set; }

    /// <summary>Reads one line (newline removed); true when it was a directive.</summary>
    public bool Read(string line, int lineNumber)
    {
        if (_done)
            return false;
        if (!line.StartsWith('#'))
        {
            _done = true;
            return false;
        }

        var match = DirectivePattern().Match(line[1..].TrimStart());
        var name = match.Success ? match.Groups[1].Value.ToLowerInvariant() : "";
        if (!Known.Contains(name))
        {
            _done = true;
            return false;
        }

        if (!_seen.Add(name))
            throw Errors.Errors.DockerfileParse(lineNumber, $"only one {name} parser directive can be used");

        var value = match.Groups[2].Value;
        if (name == "escape")
        {
            if (value is not ("\\" or "`"))
                throw Errors.Errors.DockerfileParse(lineNumber, $"invalid escape token '{value}' does not match ` or \\");
            EscapeToken = value[0];
        }
        else if (name == "syntax")
        {
            // The frontend image is the first word; what follows it is its own business.
            Syntax = value.Split(' ', 2)[0];
        }

        return true;
    }

    [GeneratedRegex(@"^([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=[\t\n\f\r ]*(.+?)[\t\n\f\r ]*\z")]
    private static partial Regex DirectivePattern();
}
