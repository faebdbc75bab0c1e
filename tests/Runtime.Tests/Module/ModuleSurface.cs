using System.Reflection;
using System.Runtime.InteropServices;
using Container.Tests.Fixtures;

namespace Container.Tests.Module;

/// <summary>
/// The built module and System.Management.Automation's reference assembly, loaded as
/// metadata only (no PowerShell engine exists on the build machines).
/// </summary>
public sealed class ModuleSurface : IDisposable
{
    private readonly MetadataLoadContext context;

    public ModuleSurface()
    {
        var smaPath = Path.Combine(BuildOutput.PowerShellStandardDir, "lib", "netstandard2.0", "System.Management.Automation.dll");
        var assemblies = Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll")
            .Concat([ModulePath, RuntimePath, smaPath]);
        context = new MetadataLoadContext(new PathAssemblyResolver(assemblies));
        Module = context.LoadFromAssemblyPath(ModulePath);
        Runtime = context.LoadFromAssemblyPath(RuntimePath);
        Automation = context.LoadFromAssemblyPath(smaPath);
    }

    public static string ModulePath => Path.Combine(BuildOutput.OutputDir, "Container.Module.dll");

    public static string RuntimePath => Path.Combine(BuildOutput.OutputDir, "Container.Runtime.dll");

    public Assembly Module { get; }

    public Assembly Runtime { get; }

    public Assembly Automation { get; }

    public Type AutomationType(string name) => Automation.GetType("System.Management.Automation." + name, throwOnError: true)!;

    /// <summary>Every cmdlet class: a type carrying [Cmdlet].</summary>
    public IEnumerable<CmdletInfo> Cmdlets()
    {
        var cmdletAttribute = AutomationType("CmdletAttribute");
        foreach (var type in Module.GetTypes())
        {
            var attribute = type.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType == cmdletAttribute);
            if (attribute != null)
                yield return new CmdletInfo(this, type, attribute);
        }
    }

    /// <summary>Get-Verb: the constants of the Verbs* classes.</summary>
    /// <summary>PowerShellStandard's (5.1) verb constants, and the lifecycle verbs PowerShell 6 approved after it (Get-Verb lists them).</summary>
    public IReadOnlySet<string> ApprovedVerbs() =>
        new[] { "VerbsCommon", "VerbsData", "VerbsLifecycle", "VerbsDiagnostic", "VerbsCommunications", "VerbsSecurity", "VerbsOther" }
            .SelectMany(c => AutomationType(c).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!))
            .Concat(["Build", "Deploy"])
            .ToHashSet();

    public void Dispose() => context.Dispose();
}

public sealed class CmdletInfo(ModuleSurface surface, Type type, CustomAttributeData attribute)
{
    public Type Type { get; } = type;

    public string Verb => (string)attribute.ConstructorArguments[0].Value!;

    public string Noun => (string)attribute.ConstructorArguments[1].Value!;

    public string Name => $"{Verb}-{Noun}";

    public T? Named<T>(string name) =>
        attribute.NamedArguments.Where(a => a.MemberName == name).Select(a => (T?)a.TypedValue.Value).FirstOrDefault();

    public bool SupportsShouldProcess => Named<bool>("SupportsShouldProcess");

    public string? DefaultParameterSetName => Named<string>("DefaultParameterSetName");

    public IEnumerable<Type> OutputTypes =>
        Type.GetCustomAttributesData().Where(a => a.AttributeType == surface.AutomationType("OutputTypeAttribute"))
            .SelectMany(a => ((IEnumerable<CustomAttributeTypedArgument>)a.ConstructorArguments[0].Value!).Select(v => (Type)v.Value!));

    /// <summary>Parameters, with those inherited from base classes.</summary>
    public IEnumerable<ParameterInfo> Parameters
    {
        get
        {
            var parameterAttribute = surface.AutomationType("ParameterAttribute");
            foreach (var property in Type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                foreach (var a in property.GetCustomAttributesData().Where(a => a.AttributeType == parameterAttribute))
                    yield return new ParameterInfo(property, a, surface);
        }
    }
}

public sealed class ParameterInfo(PropertyInfo property, CustomAttributeData attribute, ModuleSurface surface)
{
    public PropertyInfo Property { get; } = property;

    public string Name => Property.Name;

    public string ParameterSetName =>
        attribute.NamedArguments.Where(a => a.MemberName == "ParameterSetName").Select(a => (string)a.TypedValue.Value!).FirstOrDefault() ?? "__AllParameterSets";

    public bool Flag(string name) => attribute.NamedArguments.Any(a => a.MemberName == name && (bool)a.TypedValue.Value!);

    public bool ValueFromPipeline => Flag("ValueFromPipeline");

    public bool ValueFromPipelineByPropertyName => Flag("ValueFromPipelineByPropertyName");

    public IEnumerable<CustomAttributeData> OtherAttributes => Property.GetCustomAttributesData();

    public bool HasAttribute(string automationType) => OtherAttributes.Any(a => a.AttributeType == surface.AutomationType(automationType));
}
