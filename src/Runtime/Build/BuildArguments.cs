using Container.Runtime.Build.Parsing;
using Container.Runtime.Images;

namespace Container.Runtime.Build;

/// <summary>
/// --build-arg's values, and the ARGs declared before the first FROM (global: FROM lines
/// see them, and a stage sees one only when it declares it again, as docker scopes them).
/// The platform ARGs buildkit sets (BUILDPLATFORM, TARGETARCH...) are global without a
/// declaration; a stage sees them as any other global, once it declares them.
/// </summary>
internal sealed class BuildArguments
{
    /// <summary>docker's predefined ARGs: a --build-arg gives them to RUN without a declaration, and they stay out of the cache key and history.</summary>
    public static readonly IReadOnlySet<string> Predefined = new HashSet<string>(StringComparer.Ordinal)
    {
        "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy",
    };

    private readonly IReadOnlyDictionary<string, string> given;
    private readonly Dictionary<string, string?> automatic;
    private readonly Dictionary<string, string?> global;

    /// <param name="target">The platform the build is for (--platform); the build runs on this host's.</param>
    public BuildArguments(IReadOnlyDictionary<string, string> given, ImagePlatform target)
    {
        this.given = given;
        automatic = new Dictionary<string, string?>(PlatformArguments("BUILD", ImagePlatform.Host).Concat(PlatformArguments("TARGET", target)), StringComparer.Ordinal);
        global = new Dictionary<string, string?>(automatic, StringComparer.Ordinal);
    }

    public IReadOnlyDictionary<string, string> Given => given;

    public string? Lookup(string name) => global.TryGetValue(name, out var value) ? value : null;

    /// <summary>A global ARG line: one of the platform ARGs declared without a default keeps its value.</summary>
    public void Declare(Instruction arg, ShellLexer lexer, Func<string, string?> lookup) =>
        Declare(arg, lexer, lookup, global, name => automatic.GetValueOrDefault(name));

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

    private static IEnumerable<KeyValuePair<string, string?>> PlatformArguments(string prefix, ImagePlatform platform) =>
    [
        new(prefix + "PLATFORM", platform.ToString()),
        new(prefix + "OS", platform.Os),
        new(prefix + "ARCH", platform.Architecture),
        new(prefix + "VARIANT", platform.Variant ?? ""),
    ];
}
