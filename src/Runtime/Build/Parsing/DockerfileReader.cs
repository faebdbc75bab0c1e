using System.Text;

namespace Container.Runtime.Build.Parsing;

/// <summary>
/// Reads a Dockerfile's lines into instructions as buildkit's parser does: directives first,
/// comments and blank lines skipped, continuation lines joined (a comment or blank line inside a
/// continuation is dropped), each instruction split into keyword, flags and arguments, and the
/// heredocs it opens read from the lines that follow it.
/// </summary>
internal sealed class DockerfileReader
{
    private readonly List<string> _lines = [];
    private readonly ParserDirectives _directives = new();
    private int _taken;

    public DockerfileReader(string text)
    {
        if (text.StartsWith('\uFEFF'))
            text = text[1..];
        for (var start = 0; start < text.Length;)
        {
            var newline = text.IndexOf('\n', start);
            var end = newline < 0 ? text.Length : newline + 1;
            _lines.Add(text[start..end]);
            start = end;
        }
    }

    public char EscapeToken => _directives.EscapeToken;

    public string? Syntax => _directives.Syntax;

    /// <summary>The number of lines read so far: after <see cref="ReadAll"/>, the file's last line.</summary>
    public int LineNumber => _taken;

    public IReadOnlyList<Instruction> ReadAll()
    {
        var instructions = new List<Instruction>();
        while (TryTake(out var raw))
        {
            var first = TrimNewline(raw).TrimStart();
            if (_directives.Read(first, _taken))
                continue;

            var start = _taken;
            var (text, ends) = TrimContinuation(IsComment(first) ? "" : first);
            if (ends && text.Length == 0)
                continue;

            var joined = new StringBuilder(text);
            while (!ends && TryTake(out raw))
            {
                var next = TrimNewline(raw);
                if (IsComment(next) || next.Trim().Length == 0)
                    continue;
                (text, ends) = TrimContinuation(next);
                joined.Append(text);
            }

            instructions.Add(ReadInstruction(joined.ToString(), start));
        }

        return instructions;
    }

    private Instruction ReadInstruction(string line, int start)
    {
        var instruction = Split(line, start);
        var target = instruction.Trigger ?? instruction;
        if (!DockerfileKeywords.TakesHeredocs(target.Keyword) || target.Exec is not null || !line.Contains("<<", StringComparison.Ordinal))
            return instruction;

        var heredocs = HeredocWords.Find(line, start).Select(opening => ReadHeredoc(opening, start)).ToList();
        if (heredocs.Count == 0)
            return instruction;
        return instruction.Trigger is null
            ? instruction with { Heredocs = heredocs }
            : instruction with { Heredocs = heredocs, Trigger = instruction.Trigger with { Heredocs = heredocs } };
    }

    private Instruction Split(string line, int start)
    {
        var split = InstructionLine.Split(line, EscapeToken);
        var keyword = split.Keyword.ToUpperInvariant();
        if (!DockerfileKeywords.IsKnown(keyword))
            throw Errors.Errors.DockerfileParse(start, $"unknown instruction: {split.Keyword}");

        var instruction = new Instruction
        {
            Keyword = keyword,
            Line = start,
            Original = line,
            Flags = DockerfileKeywords.ReadFlags(keyword, split.Flags, start),
            Arguments = split.Arguments,
            Exec = ReadExecForm(keyword, split.Arguments, start),
        };
        CheckArguments(instruction);
        return keyword == "ONBUILD" ? instruction with { Trigger = SplitTrigger(instruction) } : instruction;
    }

    private Instruction SplitTrigger(Instruction onbuild)
    {
        if (onbuild.Arguments.Length == 0)
            throw Errors.Errors.DockerfileParse(onbuild.Line, "ONBUILD requires at least one argument");
        var trigger = Split(onbuild.Arguments, onbuild.Line);
        return trigger.Keyword switch
        {
            "ONBUILD" => throw Errors.Errors.DockerfileParse(onbuild.Line, "chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed"),
            "FROM" or "MAINTAINER" => throw Errors.Errors.DockerfileParse(onbuild.Line, $"{trigger.Keyword} isn't allowed as an ONBUILD trigger"),
            _ => trigger,
        };
    }

    // ENV, LABEL and ARG are split into their pairs now, so that a malformed one names its line here.
    private void CheckArguments(Instruction instruction)
    {
        if (instruction.Keyword is "ENV" or "LABEL")
            KeyValueArguments.Split(instruction, EscapeToken);
        else if (instruction.Keyword == "ARG")
            ArgDeclaration.Parse(instruction, EscapeToken);
    }

    private static IReadOnlyList<string>? ReadExecForm(string keyword, string arguments, int line)
    {
        if (!DockerfileKeywords.TakesExecForm(keyword) || arguments.Length == 0)
            return null;
        if (keyword != "HEALTHCHECK")
            return ExecForm.TryParse(arguments, line);

        // HEALTHCHECK's type word (CMD, NONE) comes before its command.
        var typeEnd = 0;
        while (typeEnd < arguments.Length && !char.IsWhiteSpace(arguments[typeEnd]))
            typeEnd++;
        return ExecForm.TryParse(arguments[typeEnd..], line);
    }

    private Heredoc ReadHeredoc(HeredocWords.Opening opening, int start)
    {
        var content = new StringBuilder();
        while (TryTake(out var raw))
        {
            var candidate = TrimNewline(raw);
            if (opening.StripTabs)
                candidate = candidate.TrimStart('\t');
            if (candidate == opening.Name)
            {
                var body = content.ToString();
                return new Heredoc(opening.Name, opening.StripTabs ? StripLeadingTabs(body) : body, opening.Expand, opening.StripTabs);
            }

            content.Append(raw);
        }

        throw Errors.Errors.DockerfileParse(start, $"unterminated heredoc: no line '{opening.Name}' ends the heredoc that starts here");
    }

    private bool TryTake(out string line)
    {
        if (_taken >= _lines.Count)
        {
            line = "";
            return false;
        }

        line = _lines[_taken++];
        return true;
    }

    private static string TrimNewline(string line) => line.TrimEnd('\r', '\n');

    private static bool IsComment(string line) => line.TrimStart().StartsWith('#');

    private static string StripLeadingTabs(string body) =>
        string.Join('\n', body.Split('\n').Select(l => l.TrimStart('\t')));

    // The escape token last on a line (blanks after it allowed) continues it, unless it is itself escaped.
    private (string Text, bool Ends) TrimContinuation(string line)
    {
        var end = line.Length;
        while (end > 0 && line[end - 1] is ' ' or '\t')
            end--;
        if (end == 0 || line[end - 1] != EscapeToken || (end >= 2 && line[end - 2] == EscapeToken))
            return (line, true);
        return (line[..(end - 1)], false);
    }
}
