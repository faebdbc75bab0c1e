namespace Container.Runtime.Build.Parsing;

/// <summary>
/// One name of an <c>ARG name[=default] ...</c> line. The default is kept as written: the build
/// expands it (<see cref="ExpandDefault"/>) only when no build argument overrides it, with the
/// variables set by the ARGs before it, as docker does.
/// </summary>
public sealed record ArgDeclaration(string Name, string? Default)
{
    /// <summary>The ARG's declarations, in order; throws, naming the line, on none or a blank name.</summary>
    public static IReadOnlyList<ArgDeclaration> Parse(Instruction instruction, char escapeToken = '\\')
    {
        ArgumentNullException.ThrowIfNull(instruction);
        var words = DockerfileWords.Split(instruction.Arguments, escapeToken);
        if (words.Count == 0)
            throw Errors.Errors.DockerfileParse(instruction.Line, "ARG requires at least one argument");

        var declarations = new List<ArgDeclaration>();
        foreach (var word in words)
        {
            var equals = word.IndexOf('=');
            if (equals == 0)
                throw Errors.Errors.DockerfileParse(instruction.Line, "ARG names can not be blank");
            declarations.Add(equals < 0 ? new ArgDeclaration(word, null) : new ArgDeclaration(word[..equals], word[(equals + 1)..]));
        }

        return declarations;
    }

    /// <summary>The default expanded and unquoted (<c>ARG V="1 2"</c> gives <c>1 2</c>); null when there is none.</summary>
    public string? ExpandDefault(ShellLexer lexer, Func<string, string?> lookup)
    {
        ArgumentNullException.ThrowIfNull(lexer);
        return Default is null ? null : lexer.ProcessWord(Default, lookup);
    }
}
