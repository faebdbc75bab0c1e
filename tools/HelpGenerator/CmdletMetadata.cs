using System.Reflection;
using System.Runtime.InteropServices;

namespace Container.HelpGenerator;

/// <summary>A cmdlet as its attributes declare it: what Get-Help's syntax and parameter details show.</summary>
public sealed record CmdletModel(string Name, bool SupportsShouldProcess, IReadOnlyList<string> OutputTypes, IReadOnlyList<ParameterModel> Parameters)
{
    public const string AllSets = "__AllParameterSets";

    /// <summary>The parameter sets, each with its parameters: positional ones first, by position.</summary>
    public IEnumerable<(string Set, IReadOnlyList<(ParameterModel Parameter, ParameterSetModel In)> Parameters)> Syntax()
    {
        var sets = Parameters.SelectMany(p => p.Sets).Select(s => s.Name).Where(s => s != AllSets).Distinct().ToList();
        if (sets.Count == 0)
            sets.Add(AllSets);
        foreach (var set in sets)
            yield return (set, Parameters
                .Select(p => (Parameter: p, In: p.Sets.FirstOrDefault(s => s.Name == set) ?? p.Sets.FirstOrDefault(s => s.Name == AllSets)))
                .Where(p => p.In != null)
                .OrderBy(p => p.In!.Position ?? int.MaxValue).ThenBy(p => !p.In!.Mandatory).ThenBy(p => p.Parameter.Name, StringComparer.Ordinal)
                .Select(p => (p.Parameter, p.In!)).ToList());
    }
}

public sealed record ParameterModel(
    string Name, string TypeName, string DeclaringClass, bool IsSwitch, bool Globbing, bool RemainingArguments,
    IReadOnlyList<string> Aliases, IReadOnlyList<ParameterSetModel> Sets);

/// <summary>How a parameter binds in one set.</summary>
public sealed record ParameterSetModel(string Name, bool Mandatory, int? Position, bool ByValue, bool ByPropertyName);

/// <summary>Reads the cmdlets of a built module as metadata (never loaded to run: its PowerShell is a reference assembly).</summary>
public static class CmdletMetadata
{
    public static IReadOnlyList<CmdletModel> Read(string modulePath)
    {
        var moduleDir = Path.GetDirectoryName(Path.GetFullPath(modulePath))!;
        var assemblies = Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll").Concat(Directory.GetFiles(moduleDir, "*.dll"));
        using var context = new MetadataLoadContext(new PathAssemblyResolver(assemblies));
        var module = context.LoadFromAssemblyPath(modulePath);
        return module.GetTypes().Select(Cmdlet).OfType<CmdletModel>().OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
    }

    private const string Automation = "System.Management.Automation.";

    private static CustomAttributeData? Attribute(MemberInfo member, string name) =>
        member.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.FullName == Automation + name);

    private static T? Named<T>(CustomAttributeData attribute, string name) =>
        attribute.NamedArguments.Where(a => a.MemberName == name).Select(a => (T?)a.TypedValue.Value).FirstOrDefault();

    private static CmdletModel? Cmdlet(Type type)
    {
        if (Attribute(type, "CmdletAttribute") is not { } cmdlet)
            return null;
        var name = $"{cmdlet.ConstructorArguments[0].Value}-{cmdlet.ConstructorArguments[1].Value}";
        var outputs = type.GetCustomAttributesData().Where(a => a.AttributeType.FullName == Automation + "OutputTypeAttribute")
            .SelectMany(a => (IEnumerable<CustomAttributeTypedArgument>)a.ConstructorArguments[0].Value!)
            .Select(t => ((Type)t.Value!).FullName!).ToList();
        // positional ones first, by position; then by name
        var parameters = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(Parameter).OfType<ParameterModel>()
            .OrderBy(p => p.Sets.Min(s => s.Position ?? int.MaxValue)).ThenBy(p => p.Name, StringComparer.Ordinal).ToList();
        return new CmdletModel(name, Named<bool>(cmdlet, "SupportsShouldProcess"), outputs, parameters);
    }

    private static ParameterModel? Parameter(PropertyInfo property)
    {
        var sets = property.GetCustomAttributesData().Where(a => a.AttributeType.FullName == Automation + "ParameterAttribute")
            .Select(a => new ParameterSetModel(
                Named<string>(a, "ParameterSetName") ?? CmdletModel.AllSets,
                Named<bool>(a, "Mandatory"),
                Named<int?>(a, "Position") is { } position and >= 0 ? position : null,
                Named<bool>(a, "ValueFromPipeline"),
                Named<bool>(a, "ValueFromPipelineByPropertyName")))
            .ToList();
        if (sets.Count == 0)
            return null;
        var remaining = property.GetCustomAttributesData().Where(a => a.AttributeType.FullName == Automation + "ParameterAttribute")
            .Any(a => Named<bool>(a, "ValueFromRemainingArguments"));
        var aliases = Attribute(property, "AliasAttribute") is { } alias
            ? ((IEnumerable<CustomAttributeTypedArgument>)alias.ConstructorArguments[0].Value!).Select(a => (string)a.Value!).ToList()
            : [];
        var type = property.PropertyType;
        return new ParameterModel(property.Name, TypeName(type), property.DeclaringType!.Name, type.FullName == Automation + "SwitchParameter",
            Attribute(property, "SupportsWildcardsAttribute") != null, remaining, aliases, sets);
    }

    /// <summary>As Get-Help names types: String[], Int32, DateTimeOffset (not Nullable`1).</summary>
    private static string TypeName(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition().FullName == "System.Nullable`1" ? type.GetGenericArguments()[0].Name : type.Name;
}
