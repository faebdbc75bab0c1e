using System.Text;

namespace Container.Runtime.Build.Parsing;

/// <summary>
/// One instruction's joined line split as buildkit splits it: the keyword, the <c>--flags</c>
/// before the arguments (quotes and escapes in them applied; <c>--</c> ends them), the rest.
/// </summary>
internal readonly record struct InstructionLine(string Keyword, IReadOnlyList<string> Flags, string Arguments)
{
    public static InstructionLine Split(string line, char escapeToken)
    {
        var trimmed = line.Trim();
        var keywordEnd = 0;
        while (keywordEnd < trimmed.Length && !IsBlank(trimmed[keywordEnd]))
            keywordEnd++;
        var keyword = trimmed[..keywordEnd];
        var rest = trimmed[keywordEnd..].TrimStart(Blanks);
        if (rest.Length == 0)
            return new InstructionLine(keyword, [], "");

        var (flags, arguments) = ExtractFlags(rest, escapeToken);
        return new InstructionLine(keyword, flags, arguments.Trim());
    }

    // buildkit splits the keyword off on these, not on every Unicode space.
    private static readonly char[] Blanks = ['\t', '\v', '\f', '\r', ' '];

    private static bool IsBlank(char ch) => Array.IndexOf(Blanks, ch) >= 0;

    private static (IReadOnlyList<string> Flags, string Remainder) ExtractFlags(string line, char escapeToken)
    {
        var flags = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        var quote = '\0';
        var quoted = false;
        for (var pos = 0; pos < line.Length; pos++)
        {
            var ch = line[pos];
            if (!inWord)
            {
                if (char.IsWhiteSpace(ch))
                    continue;
                if (ch != '-' || pos + 1 == line.Length || line[pos + 1] != '-')
                    return (flags, line[pos..]);
                inWord = true;
            }

            if (quote == '\0')
            {
                if (char.IsWhiteSpace(ch))
                {
                    var flag = word.ToString();
                    if (flag == "--")
                        return (flags, line[pos..]);
                    if (quoted || flag.Length > 0)
                        flags.Add(flag);
                    word.Clear();
                    inWord = false;
                    quoted = false;
                    continue;
                }

                if (ch is '\'' or '"')
                {
                    quote = ch;
                    quoted = true;
                    continue;
                }
            }
            else if (ch == quote)
            {
                quote = '\0';
                continue;
            }

            if (ch == escapeToken)
            {
                if (pos + 1 == line.Length)
                {
                    quote = '\0';
                    continue;
                }

                ch = line[++pos];
            }

            word.Append(ch);
        }

        var last = word.ToString();
        if (inWord && last != "--" && (quoted || last.Length > 0))
            flags.Add(last);
        return (flags, "");
    }
}
