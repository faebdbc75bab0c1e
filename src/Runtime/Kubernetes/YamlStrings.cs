using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Container.Runtime.Kubernetes;

/// <summary>
/// The client's YAML with every string that a YAML reader would take for another type quoted.
/// KubernetesYaml quotes most (1, true, null) but writes some plain, which kubectl (YAML 1.1)
/// then reads as numbers: 0x1f, 0o17, 12:30:00, .inf. Which scalars are strings is told by the
/// same object's JSON, whose types are the API's.
/// </summary>
internal static partial class YamlStrings
{
    public static string Quoted(string yaml, string json)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        using var twin = JsonDocument.Parse(json);
        if (!Quote(stream.Documents[0].RootNode, twin.RootElement))
            return yaml;
        var text = new StringWriter();
        stream.Save(text, assignAnchors: false);
        // one document, as the client writes it: no end marker
        return text.ToString().TrimEnd().TrimEnd('.').TrimEnd() + "\n";
    }

    /// <summary>Quotes the node's plain strings that are not strings to a reader; whether any was.</summary>
    private static bool Quote(YamlNode node, JsonElement twin)
    {
        var changed = false;
        switch (node)
        {
            case YamlScalarNode scalar when twin.ValueKind == JsonValueKind.String && scalar.Style is YamlDotNet.Core.ScalarStyle.Plain or YamlDotNet.Core.ScalarStyle.Any
                                            && scalar.Value is { } value && NotAString().IsMatch(value):
                scalar.Style = YamlDotNet.Core.ScalarStyle.DoubleQuoted;
                return true;
            case YamlMappingNode mapping when twin.ValueKind == JsonValueKind.Object:
                foreach (var (key, value) in mapping.Children)
                    if (key is YamlScalarNode { Value: { } name } && twin.TryGetProperty(name, out var property))
                        changed |= Quote(value, property);
                break;
            case YamlSequenceNode sequence when twin.ValueKind == JsonValueKind.Array:
                var items = twin.EnumerateArray().ToList();
                for (var i = 0; i < sequence.Children.Count && i < items.Count; i++)
                    changed |= Quote(sequence.Children[i], items[i]);
                break;
        }
        return changed;
    }

    /// <summary>A plain scalar that YAML 1.1 or 1.2 resolves as null, a boolean, a number or a time (or a merge key).</summary>
    [GeneratedRegex("""
        ^(?:~|null|Null|NULL|y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF
        |[-+]?(?:0b[01_]+|0o?[0-7_]+|0x[0-9a-fA-F_]+|(?:0|[1-9][0-9_]*)|[1-9][0-9_]*(?::[0-5]?[0-9])+)
        |[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?[eE][-+]?[0-9]+
        |[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)
        |[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt ].*)?|<<|=)$
        """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex NotAString();
}
