namespace Container.Runtime.Compose.Loading;

/// <summary>Where a value was written: the file and its line, for errors that name both.</summary>
internal sealed record SourceMark(string File, int Line)
{
    public override string ToString() => Line > 0 ? $"{File}, line {Line}" : File;
}

/// <summary>
/// A compose file as a tree, before it is typed: what interpolation, merging, extends and include
/// work on. Aliases and merge keys (&lt;&lt;) are already resolved; a tag (!reset, !override) stays on its node.
/// </summary>
internal abstract class YamlNode(SourceMark mark, string? tag)
{
    public SourceMark Mark { get; } = mark;

    public string? Tag { get; set; } = tag;

    public abstract YamlNode Clone();
}

internal sealed class YamlScalar(string? value, bool plain, SourceMark mark, string? tag = null) : YamlNode(mark, tag)
{
    /// <summary>null for YAML's null (~, null, nothing); quoted "null" is the string.</summary>
    public string? Value { get; set; } = value;

    /// <summary>Unquoted: true, 80 and null are read as YAML reads them only then.</summary>
    public bool Plain { get; } = plain;

    public bool IsNull => Value == null;

    public override YamlNode Clone() => new YamlScalar(Value, Plain, Mark, Tag);

    public static YamlScalar Of(string? value, SourceMark mark) => new(value, plain: false, mark);
}

internal sealed class YamlSequence(SourceMark mark, string? tag = null) : YamlNode(mark, tag)
{
    public List<YamlNode> Items { get; } = [];

    public override YamlNode Clone()
    {
        var copy = new YamlSequence(Mark, Tag);
        copy.Items.AddRange(Items.Select(i => i.Clone()));
        return copy;
    }
}

internal sealed class YamlMapping(SourceMark mark, string? tag = null) : YamlNode(mark, tag)
{
    /// <summary>Keys in the order written (a Dictionary keeps it while nothing is removed; order never decides anything).</summary>
    public Dictionary<string, YamlNode> Entries { get; } = new(StringComparer.Ordinal);

    public YamlNode? this[string key] => Entries.GetValueOrDefault(key);

    public override YamlNode Clone()
    {
        var copy = new YamlMapping(Mark, Tag);
        foreach (var (key, value) in Entries)
            copy.Entries[key] = value.Clone();
        return copy;
    }
}
