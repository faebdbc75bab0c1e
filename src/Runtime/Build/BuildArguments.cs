using Container.Runtime.Build.Parsing;

namespace Container.Runtime.Build;

/// <summary>
/// --build-arg's values, and the ARGs declared before the first FROM (global: FROM lines
/// see them, and a stage sees one only when it declares it again, as docker scopes them).
/// </summary>
internal sealed class BuildArguments(IReadOnlyDictionary<string, string> given)
{
    /// <summary>docker's predefined ARGs: a --build-arg gives them to RUN without a declaration, and they stay out of the cache key and history.</summary>
    public static readonly IReadOnlySet<string> Predefined = new HashSet<string>(StringComparer.Ordinal)
    {
        "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy",
    };

    private readonly Dictionary<string, string?> global = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string> Given => given;

    public string? Lookup(string name) => global.TryGetValue(name, out var value) ? value : null;

    /// <summary>A global ARG line.</summary>
    public void Declare(Instruction arg, ShellLexer lexer, Func<string, string?> lookup) => Declare(arg, lexer, lookup, global, inherited: null);

    /// <summary>
    /// An ARG line's names into values: each one's --build-arg, else its default (expanded),
    /// else, in a stage, the global ARG's value, else unset.
    /// </summary>
    public void Declare(Instruction arg, ShellLexer lexer, Func<string, string?> lookup, IDictionary<string, string?> into, Func<string, string?>? inherited)
    {
        foreach (var declaration in ArgDeclaration.Parse(arg, lexer.EscapeToken))
        {
            into[declaration.Name] = given.TryGetValue(declaration.Name, out var value)
                ? value
                : declaration.Default != null ? declaration.ExpandDefault(lexer, lookup) : inherited?.Invoke(declaration.Name);
        }
    }

    /// <summary>The predefined ARGs given, which every RUN sees.</summary>
    public IEnumerable<KeyValuePair<string, string>> PredefinedGiven => given.Where(a => Predefined.Contains(a.Key));
}
