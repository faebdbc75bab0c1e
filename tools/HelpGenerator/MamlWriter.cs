using System.Xml.Linq;

namespace Container.HelpGenerator;

/// <summary>
/// The help file PowerShell reads for a binary module (&lt;assembly&gt;-Help.xml, MAML): per
/// cmdlet its synopsis, description, syntax and parameters (attributes from the metadata,
/// words from the pages), inputs, outputs, notes, examples and related links.
/// </summary>
public static class MamlWriter
{
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    /// <summary>-WhatIf and -Confirm, as PowerShell's own help describes them.</summary>
    private static readonly (string Name, string Text)[] ShouldProcessParameters =
    [
        ("WhatIf", "Shows what would happen if the cmdlet runs. The cmdlet is not run."),
        ("Confirm", "Prompts you for confirmation before running the cmdlet."),
    ];

    public static XDocument Write(IReadOnlyList<CmdletModel> cmdlets, HelpLibrary help) =>
        new(new XDeclaration("1.0", "utf-8", null),
            new XElement(Msh + "helpItems", new XAttribute("schema", "maml"),
                new XAttribute(XNamespace.Xmlns + "maml", Maml), new XAttribute(XNamespace.Xmlns + "command", Command), new XAttribute(XNamespace.Xmlns + "dev", Dev),
                cmdlets.Where(c => help.Cmdlets.ContainsKey(c.Name)).Select(c => CommandElement(c, help))));

    private static XElement CommandElement(CmdletModel cmdlet, HelpLibrary help)
    {
        var page = help.Cmdlets[cmdlet.Name];
        var verb = cmdlet.Name[..cmdlet.Name.IndexOf('-')];
        IEnumerable<string> Words(ParameterModel p) => help.Parameter(cmdlet.Name, p.Name, p.DeclaringClass) ?? [];
        return new XElement(Command + "command",
            new XElement(Command + "details",
                new XElement(Command + "name", cmdlet.Name),
                new XElement(Command + "verb", verb),
                new XElement(Command + "noun", cmdlet.Name[(verb.Length + 1)..]),
                Description(page.Synopsis)),
            Description(page.Description),
            new XElement(Command + "syntax",
                cmdlet.Syntax().Select(set => new XElement(Command + "syntaxItem",
                    new XElement(Maml + "name", cmdlet.Name),
                    set.Parameters.Select(p => ParameterElement(p.Parameter, p.In, Words(p.Parameter))),
                    ShouldProcess(cmdlet)))),
            new XElement(Command + "parameters",
                cmdlet.Parameters.Select(p => ParameterElement(p, Binding(p), Words(p))),
                ShouldProcess(cmdlet)),
            new XElement(Command + "inputTypes", Inputs(cmdlet).Select(i => TypeElement(Command + "inputType", i.Type, i.Text))),
            new XElement(Command + "returnValues", cmdlet.OutputTypes.Select(t => TypeElement(Command + "returnValue", t, ""))),
            new XElement(Maml + "alertSet", new XElement(Maml + "alert", Paragraphs(page.Notes))),
            new XElement(Command + "examples", page.Examples.Select((e, i) => new XElement(Command + "example",
                new XElement(Maml + "title", $"-------------------------- Example {i + 1}: {e.Title} --------------------------"),
                new XElement(Dev + "code", e.Code),
                // an empty paragraph last: a blank line before the next example
                new XElement(Dev + "remarks", Paragraphs([.. e.Remarks, ""]))))),
            new XElement(Command + "relatedLinks", page.RelatedLinks.Select(l =>
                new XElement(Maml + "navigationLink", new XElement(Maml + "linkText", l), new XElement(Maml + "uri")))));
    }

    /// <summary>How a parameter binds where a single answer is wanted: mandatory anywhere, its first position.</summary>
    private static ParameterSetModel Binding(ParameterModel p) => new(
        "", p.Sets.Any(s => s.Mandatory), p.Sets.Select(s => s.Position).FirstOrDefault(s => s != null),
        p.Sets.Any(s => s.ByValue), p.Sets.Any(s => s.ByPropertyName));

    private static XElement ParameterElement(ParameterModel p, ParameterSetModel binding, IEnumerable<string> words)
    {
        var pipeline = (binding.ByValue, binding.ByPropertyName) switch
        {
            (true, true) => "True (ByValue, ByPropertyName)",
            (true, false) => "True (ByValue)",
            (false, true) => "True (ByPropertyName)",
            _ => "False",
        };
        return new XElement(Command + "parameter",
            new XAttribute("required", binding.Mandatory ? "true" : "false"),
            new XAttribute("variableLength", p.RemainingArguments ? "true" : "false"),
            new XAttribute("globbing", p.Globbing ? "true" : "false"),
            new XAttribute("pipelineInput", pipeline),
            new XAttribute("position", binding.Position is { } position ? position.ToString() : "named"),
            new XAttribute("aliases", p.Aliases.Count > 0 ? string.Join(", ", p.Aliases) : "none"),
            new XElement(Maml + "name", p.Name),
            Description(words),
            p.IsSwitch ? null : new XElement(Command + "parameterValue", new XAttribute("required", "true"), new XAttribute("variableLength", "false"), p.TypeName),
            new XElement(Dev + "type", new XElement(Maml + "name", p.TypeName), new XElement(Maml + "uri")),
            new XElement(Dev + "defaultValue", "None"));
    }

    private static IEnumerable<XElement> ShouldProcess(CmdletModel cmdlet) =>
        cmdlet.SupportsShouldProcess
            ? ShouldProcessParameters.Select(s => ParameterElement(
                new ParameterModel(s.Name, "SwitchParameter", "", IsSwitch: true, Globbing: false, RemainingArguments: false, [s.Name == "WhatIf" ? "wi" : "cf"], []),
                new ParameterSetModel("", false, null, false, false), [s.Text]))
            : [];

    /// <summary>What the pipeline gives each parameter that takes from it.</summary>
    private static IEnumerable<(string Type, string Text)> Inputs(CmdletModel cmdlet) =>
        cmdlet.Parameters.Where(p => p.Sets.Any(s => s.ByValue || s.ByPropertyName)).Select(p =>
        {
            var binding = Binding(p);
            var how = binding.ByValue && binding.ByPropertyName ? "objects, or the value of a property of that name"
                : binding.ByValue ? "objects" : "the value of a property of that name";
            return (p.TypeName.TrimEnd('[', ']'), $"-{p.Name} takes {how} from the pipeline.");
        });

    private static XElement TypeElement(XName name, string type, string text) =>
        new(name, new XElement(Dev + "type", new XElement(Maml + "name", type), new XElement(Maml + "uri")), Description(text.Length > 0 ? [text] : []));

    private static XElement Description(string text) => Description([text]);

    private static XElement Description(IEnumerable<string> paragraphs) => new(Maml + "description", Paragraphs(paragraphs));

    private static IEnumerable<XElement> Paragraphs(IEnumerable<string> paragraphs) => paragraphs.Select(p => new XElement(Maml + "para", p));
}
