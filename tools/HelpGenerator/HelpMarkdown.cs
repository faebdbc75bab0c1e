namespace Container.HelpGenerator;

/// <summary>
/// Reads a help page: "# Title", then "## SECTION"s (see <see cref="HelpPage.Sections"/>);
/// under EXAMPLES a "### title" per example, its ```powershell block and what it does; under
/// PARAMETERS a "### -Name" per parameter. Paragraphs are split by blank lines, and a line
/// that starts with "- " is a paragraph of its own (a list). Anything else is an error that
/// names the file and line, so that a typo fails the build rather than the help.
/// </summary>
public static class HelpMarkdown
{
    public static HelpPage Read(string path) => Parse(path, File.ReadAllLines(path));

    public static HelpPage Parse(string path, IReadOnlyList<string> lines)
    {
        string? title = null, section = null, heading = null;
        var text = new Dictionary<string, List<string>>();
        var examples = new List<HelpExample>();
        var parameters = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        var paragraphs = new List<string>();
        string? code = null;
        var paragraphStarts = true;
        var lineNumber = 0;

        Exception Error(string what) => new FormatException($"{path}:{lineNumber}: {what}");

        // the paragraphs read so far belong to the heading above them
        void Close()
        {
            switch (section)
            {
                case null when paragraphs.Count > 0:
                    throw Error("text before the first section");
                case "EXAMPLES" when heading != null:
                    if (code == null)
                        throw Error($"example '{heading}' has no ```powershell block");
                    examples.Add(new HelpExample(heading, code, [.. paragraphs]));
                    break;
                case "EXAMPLES" or "PARAMETERS" when heading == null && paragraphs.Count > 0:
                    throw Error($"text in {section} before its first '### '");
                case "PARAMETERS" when heading != null:
                    parameters.Add(heading, [.. paragraphs]);
                    break;
                case not (null or "EXAMPLES" or "PARAMETERS"):
                    text[section] = [.. paragraphs];
                    break;
            }
            paragraphs.Clear();
            paragraphStarts = true;
            code = null;
        }

        for (; lineNumber < lines.Count; lineNumber++)
        {
            var line = lines[lineNumber].TrimEnd();
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                if (section != "EXAMPLES" || heading == null || code != null || paragraphs.Count > 0 || line != "```powershell")
                    throw Error("a ```powershell block comes right after an example's '### ' title, once");
                var start = ++lineNumber;
                while (lineNumber < lines.Count && lines[lineNumber].TrimEnd() != "```")
                    lineNumber++;
                if (lineNumber == lines.Count)
                    throw Error("a ``` block that does not end");
                code = string.Join('\n', lines.Skip(start).Take(lineNumber - start));
            }
            else if (line.StartsWith("# ", StringComparison.Ordinal))
            {
                if (title != null || section != null)
                    throw Error("a second '# ' title");
                title = line[2..].Trim();
            }
            else if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                Close();
                section = line[3..].Trim();
                heading = null;
                if (!HelpPage.Sections.Contains(section))
                    throw Error($"unknown section '{section}' (known: {string.Join(", ", HelpPage.Sections)})");
                if (text.ContainsKey(section) || section is "EXAMPLES" && examples.Count > 0 || section is "PARAMETERS" && parameters.Count > 0)
                    throw Error($"a second {section}");
            }
            else if (line.StartsWith("### ", StringComparison.Ordinal))
            {
                Close();
                heading = line[4..].Trim();
                if (section == "PARAMETERS")
                {
                    if (!heading.StartsWith('-') || heading.Length < 2 || heading.Contains(' '))
                        throw Error($"a parameter's heading is '### -Name', not '### {heading}'");
                    heading = heading[1..];
                    if (parameters.ContainsKey(heading))
                        throw Error($"-{heading} a second time");
                }
                else if (section != "EXAMPLES")
                    throw Error("'### ' headings are for EXAMPLES and PARAMETERS");
            }
            else if (line.Length == 0)
                paragraphStarts = true;
            else
            {
                if (paragraphStarts || line.StartsWith("- ", StringComparison.Ordinal))
                    paragraphs.Add(line.Trim());
                else
                    paragraphs[^1] += " " + line.Trim();
                paragraphStarts = false;
            }
        }
        lineNumber = lines.Count;
        Close();
        if (title == null)
            throw Error("no '# ' title");

        IReadOnlyList<string> Text(string name) => text.TryGetValue(name, out var found) ? found : [];
        return new HelpPage
        {
            Path = path,
            Title = title,
            Synopsis = string.Join(' ', Text("SYNOPSIS")),
            Description = Text("DESCRIPTION"),
            Examples = examples,
            Parameters = parameters,
            Notes = Text("NOTES"),
            RelatedLinks = Text("RELATED LINKS").Select(l => l.TrimStart('-', ' ')).ToList(),
        };
    }
}
