using System.Globalization;
using Container.Runtime.Errors;

namespace Container.Runtime.Compose.Loading;

/// <summary>
/// A node of the tree with its path: what the typed readers read, and what an error names
/// ("compose.yaml: services.web.ports[0]: invalid port '80:abc'").
/// </summary>
internal sealed record Field(YamlNode Node, ComposePath Path)
{
    public ContainerException Invalid(string why) => Errors.Errors.ComposeFileInvalid(Node.Mark.File, Path.ToString(), why);

    public Field? this[string key] => Node is YamlMapping m && m[key] is { } child && child is not YamlScalar { IsNull: true }
        ? new Field(child, Path.Next(key)) : null;

    public YamlMapping Mapping => Node as YamlMapping ?? throw Invalid($"must be a mapping, not a {TreeMerge.Kind(Node)}");

    public IEnumerable<(string Key, Field Value)> Entries =>
        Mapping.Entries.Select(e => (e.Key, new Field(e.Value, Path.Next(e.Key))));

    public IEnumerable<Field> Items => Node is YamlSequence s
        ? s.Items.Select((item, i) => new Field(item, Path.Index(i)))
        : throw Invalid($"must be a list, not a {TreeMerge.Kind(Node)}");

    public string Text => Node is YamlScalar { Value: { } value } ? value : throw Invalid($"must be a string, not a {TreeMerge.Kind(Node)}");

    public bool Bool => Text.ToLowerInvariant() switch
    {
        "true" or "yes" or "on" => true,
        "false" or "no" or "off" => false,
        _ => throw Invalid($"'{Text}' is not a boolean"),
    };

    public int Int => int.TryParse(Text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : throw Invalid($"'{Text}' is not an integer");

    public double Double => double.TryParse(Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0
        ? value : throw Invalid($"'{Text}' is not a number");

    /// <summary>A size: bytes, or docker's units (64m, 1.5g, 512k, 100b).</summary>
    public long Bytes => Text.Trim().Length > 0 && Runtime.Text.ByteSize.TryParse(Text, out var bytes) ? bytes : throw Invalid($"'{Text}' is not a size (like 512m or 1g)");

    /// <summary>A duration as Go writes it: 1m30s, 500ms, 2h (a bare number is seconds).</summary>
    public TimeSpan Duration => Runtime.Text.HumanDuration.TryParse(Text, out var duration) && !Text.Contains(':') ? duration : throw Invalid($"'{Text}' is not a duration (like 30s or 1m30s)");

    /// <summary>A string, or a list of strings.</summary>
    public ValueList<string> Strings => Node is YamlScalar ? [Text] : Items.Select(i => i.Text).ToValueList();

    /// <summary>
    /// A list of KEY=VALUE (KEY alone: no value) or a mapping of KEY: VALUE (VALUE null: no value),
    /// as environment, labels, build args and sysctls are written.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string?>> Pairs()
    {
        if (Node is YamlSequence)
            return Items.Select(item =>
            {
                var text = item.Text;
                var equals = text.IndexOf('=');
                return equals < 0 ? new KeyValuePair<string, string?>(text, null) : new(text[..equals], text[(equals + 1)..]);
            }).ToList();
        return Entries.Select(e => new KeyValuePair<string, string?>(e.Key, e.Value.Node is YamlScalar { IsNull: true } ? null
            : e.Value.Node is YamlScalar ? e.Value.Text : throw e.Value.Invalid("must be a string, a number or a boolean"))).ToList();
    }
}
