using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Container.Runtime.Compose.Loading;

/// <summary>
/// Reads a compose file's YAML into a YamlNode tree. Aliases and merge keys are resolved here
/// (YamlDotNet's MergingParser), so everything after sees plain mappings. Several documents in
/// one file are merged in order, as compose-go does.
/// </summary>
internal static class YamlReader
{
    private static readonly HashSet<string> NullWords = ["", "~", "null", "Null", "NULL"];

    public static YamlMapping Read(string text, string file)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new MergingParser(new Parser(new StringReader(text))));
        }
        catch (YamlException e)
        {
            throw Errors.Errors.ComposeFileInvalid(file, "", $"line {e.Start.Line}: {Innermost(e).Message}");
        }
        YamlMapping? result = null;
        foreach (var document in stream.Documents)
        {
            var root = Convert(document.RootNode, file, "");
            if (root is YamlScalar { IsNull: true })
                continue;
            if (root is not YamlMapping mapping)
                throw Errors.Errors.ComposeFileInvalid(file, "", "the top level must be a mapping");
            // the first as it is: its !reset tags are for merging it over the files before
            result = result == null ? mapping : (YamlMapping)TreeMerge.Merge(result, mapping, ComposePath.Root)!;
        }
        return result ?? new YamlMapping(new SourceMark(file, 1));
    }

    private static Exception Innermost(Exception e) => e.InnerException is { } inner ? Innermost(inner) : e;

    private static YamlNode Convert(YamlDotNet.RepresentationModel.YamlNode node, string file, string path)
    {
        var mark = new SourceMark(file, (int)node.Start.Line);
        var tag = node.Tag.IsEmpty || node.Tag.Value is "!" or "?" ? null : node.Tag.Value;
        switch (node)
        {
            case YamlScalarNode scalar:
                var plain = scalar.Style == ScalarStyle.Plain;
                var isNull = plain && (tag is null or "tag:yaml.org,2002:null" or "!reset" or "!override") && NullWords.Contains(scalar.Value ?? "");
                return new YamlScalar(isNull ? null : scalar.Value ?? "", plain, mark, tag);
            case YamlSequenceNode sequence:
                var list = new YamlSequence(mark, tag);
                var index = 0;
                foreach (var item in sequence.Children)
                    list.Items.Add(Convert(item, file, $"{path}[{index++}]"));
                return list;
            case YamlMappingNode map:
                var mapping = new YamlMapping(mark, tag);
                foreach (var (key, value) in map.Children)
                {
                    if (key is not YamlScalarNode { Value: { } name })
                        throw Errors.Errors.ComposeFileInvalid(file, path, $"line {key.Start.Line}: a key must be a string");
                    mapping.Entries[name] = Convert(value, file, ComposePath.Join(path, name));
                }
                return mapping;
            default:
                throw Errors.Errors.ComposeFileInvalid(file, path, $"line {node.Start.Line}: unexpected YAML node");
        }
    }
}
