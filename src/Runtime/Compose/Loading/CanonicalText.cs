using System.Text;
using System.Text.Json;

namespace Container.Runtime.Compose.Loading;

/// <summary>A tree as compact JSON with its mappings' keys sorted: the same value gives the same text however it was written.</summary>
internal static class CanonicalText
{
    public static string Of(YamlNode node)
    {
        var text = new StringBuilder();
        Write(node, text);
        return text.ToString();
    }

    private static void Write(YamlNode node, StringBuilder text)
    {
        switch (node)
        {
            case YamlScalar { Value: null }:
                text.Append("null");
                break;
            case YamlScalar scalar:
                text.Append(JsonSerializer.Serialize(scalar.Value, JsonContext.Default.String));
                break;
            case YamlSequence sequence:
                text.Append('[');
                for (var i = 0; i < sequence.Items.Count; i++)
                {
                    if (i > 0)
                        text.Append(',');
                    Write(sequence.Items[i], text);
                }
                text.Append(']');
                break;
            case YamlMapping mapping:
                text.Append('{');
                var first = true;
                foreach (var (key, value) in mapping.Entries.Where(e => !Keys.IsExtension(e.Key)).OrderBy(e => e.Key, StringComparer.Ordinal))
                {
                    if (!first)
                        text.Append(',');
                    first = false;
                    text.Append(JsonSerializer.Serialize(key, JsonContext.Default.String)).Append(':');
                    Write(value, text);
                }
                text.Append('}');
                break;
        }
    }
}
