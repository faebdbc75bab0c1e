using System.Xml.Linq;
using Container.HelpGenerator;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Module;

/// <summary>
/// Every cmdlet has real help: a page in src/Module/Help with a synopsis, a description and
/// two examples or more; every parameter (read from the built assembly) has words, and no
/// page documents a parameter that is not there. The help file is assembled with the module.
/// </summary>
public sealed class HelpTests : IDisposable
{
    private static readonly string HelpDir = Path.Combine(BuildOutput.RepositoryRoot, "src", "Module", "Help");

    private readonly ModuleSurface surface = new();
    private readonly HelpLibrary help = HelpLibrary.Load(HelpDir);

    public void Dispose() => surface.Dispose();

    private CmdletInfo Cmdlet(string name) => surface.Cmdlets().Single(c => c.Name == name);

    [Theory]
    [MemberData(nameof(ModuleSurfaceTests.CmdletNames), MemberType = typeof(ModuleSurfaceTests))]
    public void EveryCmdletHasAPageWithTwoExamplesOrMore(string name)
    {
        Assert.True(help.Cmdlets.TryGetValue(name, out var page), $"{name} has no help: write {Path.Combine(HelpDir, name + ".md")}");
        Assert.False(string.IsNullOrWhiteSpace(page.Synopsis), $"{name}: no SYNOPSIS");
        Assert.NotEmpty(page.Description);
        Assert.True(page.Examples.Count >= 2, $"{name}: {page.Examples.Count} example(s), two at least");
        Assert.All(page.Examples, e =>
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Code), $"{name}: example '{e.Title}' has no code");
            Assert.NotEmpty(e.Remarks);
        });
    }

    [Theory]
    [MemberData(nameof(ModuleSurfaceTests.CmdletNames), MemberType = typeof(ModuleSurfaceTests))]
    public void EveryParameterIsDocumented(string name)
    {
        var cmdlet = Cmdlet(name);
        var missing = cmdlet.Parameters.Select(p => p.Property).DistinctBy(p => p.Name)
            .Where(p => help.Parameter(name, p.Name, p.DeclaringType!.Name) is not { Count: > 0 })
            .Select(p => $"-{p.Name}: write it in {help.PlaceFor(name, p.DeclaringType!.Name, p.DeclaringType == cmdlet.Type)}");
        Assert.Empty(missing);
    }

    [Fact]
    public void NoPageDocumentsAParameterThatIsNotThere()
    {
        var cmdlets = surface.Cmdlets().ToDictionary(c => c.Name);
        foreach (var (name, page) in help.Cmdlets)
        {
            Assert.True(cmdlets.TryGetValue(name, out var cmdlet), $"{page.Path}: there is no cmdlet {name}");
            var parameters = cmdlet.Parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
            Assert.Empty(page.Parameters.Keys.Where(p => !parameters.Contains(p)).Select(p => $"{page.Path}: {name} has no -{p}"));
        }
        var declared = surface.Cmdlets().SelectMany(c => c.Parameters).Select(p => p.Property)
            .Select(p => (Class: p.DeclaringType!.Name, p.Name)).ToHashSet();
        foreach (var (className, page) in help.Shared)
            Assert.Empty(page.Parameters.Keys.Where(p => !declared.Contains((className, p))).Select(p => $"{page.Path}: {className} declares no -{p}"));
    }

    [Fact]
    public void TheHelpFileIsAssembledWithTheModuleWhereGetHelpLooks()
    {
        var file = Path.Combine(BuildOutput.RepositoryRoot, "out", "Container", "en-US", "Container.Module.dll-Help.xml");
        Assert.True(File.Exists(file), $"{file} was not written by the build");
        XNamespace command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        var commands = XDocument.Load(file).Descendants(command + "command").ToDictionary(c => c.Element(command + "details")!.Element(command + "name")!.Value);
        foreach (var cmdlet in surface.Cmdlets())
        {
            Assert.True(commands.TryGetValue(cmdlet.Name, out var element), $"{cmdlet.Name} is not in {file}");
            Assert.Equal(help.Cmdlets[cmdlet.Name].Examples.Count, element.Descendants(command + "example").Count());
            var documented = element.Element(command + "parameters")!.Elements(command + "parameter").Select(p => p.Elements().First().Value).ToHashSet();
            Assert.Empty(cmdlet.Parameters.Select(p => p.Name).Except(documented));
        }
    }

    [Fact]
    public void APageThatIsNotWellFormedSaysWhereIt()
    {
        string[] page = ["# Start-Container", "", "## SYNOPSIS", "Starts.", "", "## EXAMPLE", "text"];
        var e = Assert.Throws<FormatException>(() => HelpMarkdown.Parse("Start-Container.md", page));
        Assert.StartsWith("Start-Container.md:5: unknown section 'EXAMPLE'", e.Message);

        string[] noCode = ["# Start-Container", "## EXAMPLES", "### Start one", "It starts."];
        Assert.Contains("has no ```powershell block", Assert.Throws<FormatException>(() => HelpMarkdown.Parse("x.md", noCode)).Message);
    }

    [Fact]
    public void APageReadsAsItIsWritten()
    {
        string[] lines =
        [
            "# Stop-Container", "", "## SYNOPSIS", "Stops", "containers.", "", "## DESCRIPTION", "One", "paragraph.", "", "Another.", "- a list item", "- and another",
            "", "## EXAMPLES", "", "### Stop one", "```powershell", "Stop-Container web", "  -Timeout 5", "```", "It stops web.", "",
            "### Enter one", "```powershell", "# needs a terminal", "Enter-Container web", "```", "A shell.", "",
            "## PARAMETERS", "", "### -Timeout", "Seconds.", "", "## RELATED LINKS", "- Start-Container",
        ];
        var page = HelpMarkdown.Parse("Stop-Container.md", lines);

        Assert.Equal("Stops containers.", page.Synopsis);
        Assert.Equal(["One paragraph.", "Another.", "- a list item", "- and another"], page.Description);
        Assert.Equal("Stop one", page.Examples[0].Title);
        Assert.Equal("Stop-Container web\n  -Timeout 5", page.Examples[0].Code);
        Assert.Equal(["It stops web."], page.Examples[0].Remarks);
        Assert.Equal("# needs a terminal\nEnter-Container web", page.Examples[1].Code);
        Assert.Equal(["Seconds."], page.Parameters["timeout"]);
        Assert.Equal(["Start-Container"], page.RelatedLinks);
    }
}
