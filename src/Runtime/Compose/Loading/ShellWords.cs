using System.Text;

namespace Container.Runtime.Compose.Loading;

/// <summary>
/// A command written as a string, split into words as docker compose splits it (go-shellwords):
/// on blanks, with single and double quotes and backslash escapes; no variables, no shell.
/// </summary>
internal static class ShellWords
{
    public static IReadOnlyList<string>? Split(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        var quote = '\0';
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote == '\'')
            {
                if (c == '\'')
                    quote = '\0';
                else
                    word.Append(c);
                continue;
            }
            if (c == '\\' && i + 1 < text.Length && (quote == '\0' || text[i + 1] is '"' or '\\' or '$' or '`'))
            {
                word.Append(text[++i]);
                inWord = true;
                continue;
            }
            if (quote == '"')
            {
                if (c == '"')
                    quote = '\0';
                else
                    word.Append(c);
                continue;
            }
            if (c is '\'' or '"')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                    words.Add(word.ToString());
                word.Clear();
                inWord = false;
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }
        if (quote != '\0')
            return null;
        if (inWord)
            words.Add(word.ToString());
        return words;
    }
}
