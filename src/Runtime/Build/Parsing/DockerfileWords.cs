using System.Text;

namespace Container.Runtime.Build.Parsing;

/// <summary>
/// Arguments split into words on unquoted whitespace, quotes and escapes kept (buildkit's
/// parseWords): how ENV, LABEL and ARG find their <c>name=value</c> pairs before expansion.
/// Not the scanner of the flags (<see cref="InstructionLine"/>): buildkit's extractBuilderFlags
/// applies quotes and escapes as it goes, also inside single quotes, so the two disagree on
/// where a quoted word ends.
/// </summary>
internal static class DockerfileWords
{
    public static IReadOnlyList<string> Split(string text, char escapeToken)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        var quote = '\0';
        var quoted = false;
        for (var pos = 0; pos < text.Length; pos++)
        {
            var ch = text[pos];
            if (!inWord)
            {
                if (char.IsWhiteSpace(ch))
                    continue;
                inWord = true;
            }

            if (quote == '\0')
            {
                if (char.IsWhiteSpace(ch))
                {
                    if (quoted || word.Length > 0)
                        words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                    quoted = false;
                    continue;
                }

                if (ch is '\'' or '"')
                {
                    quote = ch;
                    quoted = true;
                }
                else if (ch == escapeToken)
                {
                    if (pos + 1 == text.Length)
                        continue;
                    word.Append(ch);
                    ch = text[++pos];
                }
            }
            else if (ch == quote)
            {
                quote = '\0';
            }
            else if (ch == escapeToken && quote != '\'')
            {
                if (pos + 1 == text.Length)
                {
                    quote = '\0';
                    continue;
                }

                word.Append(ch);
                ch = text[++pos];
            }

            word.Append(ch);
        }

        if (inWord && (quoted || word.Length > 0))
            words.Add(word.ToString());
        return words;
    }
}
