using System.Text.RegularExpressions;
using System.Xml.Linq;
using Container.Runtime.Errors;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Module;

/// <summary>
/// The module as PowerShell will see it, checked from its metadata: every cmdlet, the
/// manifest's exports, the format file's types. Grows with every cmdlet.
/// </summary>
public sealed class ModuleSurfaceTests : IDisposable
{
    // verbs that only look: everything else changes something and must support -WhatIf
    private static readonly HashSet<string> ReadOnlyVerbs = ["Get", "Wait", "Enter", "Test", "Find", "Show", "Measure", "Watch", "Compare", "Resolve", "Search", "Select", "Read", "Receive"];

    private readonly ModuleSurface surface = new();

    public void Dispose() => surface.Dispose();

    public static TheoryData<string> CmdletNames()
    {
        using var surface = new ModuleSurface();
        var data = new TheoryData<string>();
        foreach (var cmdlet in surface.Cmdlets())
            data.Add(cmdlet.Name);
        return data;
    }

    /// <summary>The cmdlets that act on containers: their -InputObject takes ContainerInfo.</summary>
    public static TheoryData<string> ContainerTargetCmdletNames()
    {
        using var surface = new ModuleSurface();
        var data = new TheoryData<string>();
        foreach (var cmdlet in surface.Cmdlets().Where(c => c.Parameters.Any(p => p.Name == "InputObject" && p.Property.PropertyType.GetElementType()?.Name == "ContainerInfo")))
            data.Add(cmdlet.Name);
        return data;
    }

    private CmdletInfo Cmdlet(string name) => surface.Cmdlets().Single(c => c.Name == name);

    [Fact]
    public void TheModuleHasCmdlets() => Assert.True(surface.Cmdlets().Count() >= 9);

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void VerbIsApproved(string name) => Assert.Contains(Cmdlet(name).Verb, surface.ApprovedVerbs());

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void ClassIsSealedAndNamedForTheCommand(string name)
    {
        var cmdlet = Cmdlet(name);
        Assert.True(cmdlet.Type.IsSealed);
        Assert.Equal($"{cmdlet.Verb}{cmdlet.Noun}Command", cmdlet.Type.Name);
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void DeclaresItsOutputType(string name) => Assert.NotEmpty(Cmdlet(name).OutputTypes);

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void ChangingVerbsSupportShouldProcess(string name)
    {
        var cmdlet = Cmdlet(name);
        Assert.Equal(!ReadOnlyVerbs.Contains(cmdlet.Verb), cmdlet.SupportsShouldProcess);
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void DefaultParameterSetExists(string name)
    {
        var cmdlet = Cmdlet(name);
        var sets = cmdlet.Parameters.Select(p => p.ParameterSetName).Where(s => s != "__AllParameterSets").ToHashSet();
        if (sets.Count > 1 || cmdlet.DefaultParameterSetName != null)
            Assert.Contains(cmdlet.DefaultParameterSetName ?? "(none)", sets);
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void NamesAndIdsBindFromThePipeline(string name)
    {
        var cmdlet = Cmdlet(name);
        // where there is no -Id, -Name is the name of the thing being made, not a reference to one
        var namesTargets = cmdlet.Parameters.Any(p => p.Name == "Id");
        foreach (var parameter in cmdlet.Parameters)
        {
            if (parameter.Name == "Id")
                Assert.True(parameter.ValueFromPipelineByPropertyName, $"{name} -Id must bind by property name");
            if (parameter.Name is "Name" or "Container" && namesTargets)
                Assert.True(parameter.ValueFromPipelineByPropertyName && parameter.ValueFromPipeline, $"{name} -Name must bind strings and property values");
            if (parameter.Name == "InputObject")
                Assert.True(parameter.ValueFromPipeline, $"{name} -InputObject must bind from the pipeline");
        }
    }

    [Fact]
    public void ManyCmdletsTargetContainers() => Assert.True(ContainerTargetCmdletNames().Count >= 15);

    [Theory]
    [MemberData(nameof(ContainerTargetCmdletNames))]
    public void ContainerTargetsTakeAllThreeForms(string name)
    {
        var cmdlet = Cmdlet(name);
        // -Container where the cmdlet's first parameter names something else (Connect-ContainerNetwork's network)
        var names = cmdlet.Parameters.Single(p => p.Name is "Name" or "Container");
        Assert.True(names.HasAttribute("SupportsWildcardsAttribute"), $"{name} -Name takes wildcards");
        Assert.True(names.HasAttribute("ArgumentCompleterAttribute"), $"{name} -Name completes container names");
        Assert.Contains(cmdlet.Parameters, p => p.Name == "Id");
        // the three forms; a cmdlet may take another thing besides (ConvertTo-KubernetesYaml's -Project)
        Assert.Superset(new HashSet<string> { "Name", "Id", "InputObject" }, cmdlet.Parameters.Select(p => p.ParameterSetName).ToHashSet());
    }

    [Fact]
    public void ManifestExportsExactlyTheCmdlets()
    {
        var manifest = File.ReadAllText(Path.Combine(BuildOutput.RepositoryRoot, "Container.psd1"));
        var exports = Regex.Match(manifest, @"CmdletsToExport\s*=\s*@\(([^)]*)\)").Groups[1].Value;
        var exported = Regex.Matches(exports, "'([^']+)'").Select(m => m.Groups[1].Value).Order().ToList();

        Assert.Equal(surface.Cmdlets().Select(c => c.Name).Order(), exported);
        Assert.DoesNotContain("*", manifest[manifest.IndexOf("ToExport", StringComparison.Ordinal)..]);
        Assert.Matches(@"RootModule\s*=\s*'Container\.Module\.dll'", manifest);
        Assert.Matches(@"PowerShellVersion\s*=\s*'7\.4'", manifest);
        Assert.Matches(@"CompatiblePSEditions\s*=\s*@\('Core'\)", manifest);
        Assert.Matches(@"FormatsToProcess\s*=\s*@\('Container\.format\.ps1xml'\)", manifest);
        Assert.Matches(@"TypesToProcess\s*=\s*@\('Container\.types\.ps1xml'\)", manifest);
    }

    [Fact]
    public void TypesFileNamesOnlyTypesOfOursAndSendsEveryEnumOfOursByName()
    {
        var types = XDocument.Load(Path.Combine(BuildOutput.RepositoryRoot, "Container.types.ps1xml")).Descendants("Type")
            .ToDictionary(t => t.Element("Name")!.Value, t => t.Descendants("NoteProperty").ToDictionary(p => p.Element("Name")!.Value, p => p.Element("Value")!.Value));
        Assert.NotEmpty(types);
        foreach (var name in types.Keys)
            Assert.True(surface.Runtime.GetType(name) != null, $"{name} does not exist");
        // an enum a property of an output type holds would arrive as a number
        var enums = surface.Cmdlets().SelectMany(c => c.OutputTypes).Where(t => t.Assembly == surface.Runtime)
            .SelectMany(t => t.GetProperties()).Select(p => Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType)
            .Where(t => t.IsEnum && t.Assembly == surface.Runtime).Select(t => t.FullName!).Distinct().ToList();
        Assert.NotEmpty(enums);
        Assert.All(enums, e => Assert.Equal("String", types.GetValueOrDefault(e)?.GetValueOrDefault("SerializationMethod")));
    }

    [Fact]
    public void FormatFileNamesOnlyTypesThatExist()
    {
        var format = XDocument.Load(Path.Combine(BuildOutput.RepositoryRoot, "Container.format.ps1xml"));
        var typeNames = format.Descendants("TypeName").Select(t => t.Value).ToList();
        Assert.NotEmpty(typeNames);
        foreach (var typeName in typeNames)
        {
            // "Type#View" names a view a cmdlet selects by adding that name to its objects
            var type = typeName.Split('#')[0];
            Assert.True(surface.Runtime.GetType(type) != null || surface.Module.GetType(type) != null, $"{type} does not exist");
        }

        // script blocks call engine helpers by type name: those must exist too
        foreach (var script in format.Descendants("ScriptBlock").Select(s => s.Value))
            foreach (Match call in Regex.Matches(script, @"\[([\w.]+)\]::(\w+)"))
            {
                var type = surface.Runtime.GetType(call.Groups[1].Value);
                Assert.True(type != null, $"{call.Groups[1].Value} does not exist");
                Assert.Contains(type!.GetMethods(), m => m.Name == call.Groups[2].Value && m.IsStatic);
            }
    }

    [Fact]
    public void EveryOutputTypeOfOursHasAView()
    {
        var format = XDocument.Load(Path.Combine(BuildOutput.RepositoryRoot, "Container.format.ps1xml"));
        var viewed = format.Descendants("TypeName").Select(t => t.Value).ToHashSet();
        var ours = surface.Cmdlets().SelectMany(c => c.OutputTypes).Where(t => t.Assembly == surface.Runtime).Select(t => t.FullName!).ToHashSet();
        Assert.NotEmpty(ours);
        Assert.Empty(ours.Except(viewed));
    }

    [Fact]
    public void ErrorKindsAreErrorCategories()
    {
        var categories = surface.AutomationType("ErrorCategory").GetFields().Where(f => f.IsLiteral).Select(f => f.Name).ToHashSet();
        Assert.Empty(Enum.GetNames<ErrorKind>().Except(categories));
    }

    [Fact]
    public void CompletersAreArgumentCompleters()
    {
        var completer = surface.AutomationType("IArgumentCompleter");
        var used = surface.Cmdlets().SelectMany(c => c.Parameters).SelectMany(p => p.OtherAttributes)
            .Where(a => a.AttributeType.Name == "ArgumentCompleterAttribute").Select(a => (Type)a.ConstructorArguments[0].Value!).Distinct().ToList();
        Assert.NotEmpty(used);
        Assert.All(used, t => Assert.Contains(completer, t.GetInterfaces()));
    }
}
