namespace Container.HelpGenerator;

/// <summary>
/// The module's help sources (src/Module/Help): a page per cmdlet, named for it
/// (New-Container.md), and under Shared/ a page per base class that gives parameters to
/// several cmdlets (Shared/LimitsCmdlet.md), so that each parameter is written once.
/// </summary>
public sealed class HelpLibrary
{
    public const string SharedFolder = "Shared";

    private HelpLibrary(string directory, IReadOnlyDictionary<string, HelpPage> cmdlets, IReadOnlyDictionary<string, HelpPage> shared)
    {
        Directory = directory;
        Cmdlets = cmdlets;
        Shared = shared;
    }

    public string Directory { get; }

    /// <summary>Each cmdlet's page, by the cmdlet's name.</summary>
    public IReadOnlyDictionary<string, HelpPage> Cmdlets { get; }

    /// <summary>Each base class's parameters, by the class's name.</summary>
    public IReadOnlyDictionary<string, HelpPage> Shared { get; }

    public static HelpLibrary Load(string directory)
    {
        static Dictionary<string, HelpPage> Pages(string dir) =>
            System.IO.Directory.Exists(dir)
                ? System.IO.Directory.GetFiles(dir, "*.md").Select(HelpMarkdown.Read).ToDictionary(CheckedTitle, StringComparer.OrdinalIgnoreCase)
                : [];
        return new HelpLibrary(directory, Pages(directory), Pages(Path.Combine(directory, SharedFolder)));
    }

    private static string CheckedTitle(HelpPage page) =>
        page.Title == Path.GetFileNameWithoutExtension(page.Path) ? page.Title
            : throw new FormatException($"{page.Path}: its title '{page.Title}' is not its file's name");

    /// <summary>
    /// A parameter's paragraphs: from the cmdlet's page, or else from the page of the class
    /// that declares it; null when neither has it.
    /// </summary>
    public IReadOnlyList<string>? Parameter(string cmdlet, string parameter, string declaringClass)
    {
        if (Cmdlets.TryGetValue(cmdlet, out var page) && page.Parameters.TryGetValue(parameter, out var own))
            return own;
        return Shared.TryGetValue(declaringClass, out var shared) && shared.Parameters.TryGetValue(parameter, out var given) ? given : null;
    }

    /// <summary>Where to write a parameter's help (for a message that says so).</summary>
    public string PlaceFor(string cmdlet, string declaringClass, bool declaredByTheCmdlet) =>
        declaredByTheCmdlet ? Path.Combine(Directory, cmdlet + ".md") : Path.Combine(Directory, SharedFolder, declaringClass + ".md") + $" (or {cmdlet}.md)";
}
