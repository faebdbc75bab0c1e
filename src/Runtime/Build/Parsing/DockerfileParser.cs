namespace Container.Runtime.Build.Parsing;

/// <summary>
/// Docker's Dockerfile parser (buildkit's frontend/dockerfile/parser): text in, instructions out,
/// nothing expanded. Errors are <c>DockerfileParseError</c>s that name the line.
/// </summary>
public static class DockerfileParser
{
    /// <summary>A whole Dockerfile: it must hold an instruction, and begin with FROM (ARGs may come before it).</summary>
    public static Dockerfile Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var reader = new DockerfileReader(text);
        var instructions = reader.ReadAll();
        if (instructions.Count == 0)
            throw Errors.Errors.DockerfileParse(Math.Max(1, reader.LineNumber), "the file has no instructions");

        var first = instructions.FirstOrDefault(i => i.Keyword != "ARG");
        if (first is null)
            throw Errors.Errors.DockerfileParse(instructions[^1].Line, "the file has no FROM: there is no stage to build");
        if (first.Keyword != "FROM")
            throw Errors.Errors.DockerfileParse(first.Line, $"{first.Keyword} comes before any FROM: a Dockerfile begins with FROM (only ARG may come before it)");

        return new Dockerfile { Instructions = instructions, EscapeToken = reader.EscapeToken, Syntax = reader.Syntax };
    }

    /// <summary>
    /// An image's ONBUILD triggers (as stored in its config, one instruction each), parsed for
    /// the child build that runs them, as buildkit does: joined into one text with the default escape.
    /// </summary>
    public static IReadOnlyList<Instruction> ParseTriggers(IEnumerable<string> triggers)
    {
        ArgumentNullException.ThrowIfNull(triggers);
        return new DockerfileReader(string.Join('\n', triggers)).ReadAll();
    }
}
