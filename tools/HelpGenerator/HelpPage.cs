namespace Container.HelpGenerator;

/// <summary>
/// One help source, read from Markdown: a cmdlet's page (its synopsis, description, examples,
/// parameters, notes), or the parameters that a base class gives several cmdlets.
/// </summary>
public sealed class HelpPage
{
    /// <summary>The sections a page may have, in the order Get-Help shows them.</summary>
    public static readonly IReadOnlyList<string> Sections = ["SYNOPSIS", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "NOTES", "RELATED LINKS"];

    public required string Path { get; init; }

    /// <summary>What the page's "# " heading names: a cmdlet, or a base class.</summary>
    public required string Title { get; init; }

    public string Synopsis { get; init; } = "";

    public IReadOnlyList<string> Description { get; init; } = [];

    public IReadOnlyList<HelpExample> Examples { get; init; } = [];

    /// <summary>Each documented parameter (without its dash), with its paragraphs.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Parameters { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Other commands to read about.</summary>
    public IReadOnlyList<string> RelatedLinks { get; init; } = [];
}

/// <summary>
/// An example: a title, the commands (a ```powershell block, run as written by the tests in a
/// store with a busybox image and a running container named web, unless its first line is
/// "# needs a terminal"), and what they do.
/// </summary>
public sealed record HelpExample(string Title, string Code, IReadOnlyList<string> Remarks);
