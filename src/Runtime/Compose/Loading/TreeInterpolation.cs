namespace Container.Runtime.Compose.Loading;

/// <summary>Interpolation over a file's tree: every value (never a key), each error naming the file and the field.</summary>
internal static class TreeInterpolation
{
    public static void Apply(YamlNode node, ComposePath path, Func<string, string?> lookup)
    {
        switch (node)
        {
            case YamlScalar { Value: { } value } scalar:
                try
                {
                    scalar.Value = Interpolation.Expand(value, lookup);
                }
                catch (TemplateException e) when (e.Variable != null)
                {
                    throw Errors.Errors.ComposeVariableRequired($"{node.Mark.File}: {path}", e.Variable, e.Message);
                }
                catch (TemplateException e)
                {
                    throw Errors.Errors.ComposeFileInvalid(node.Mark.File, path.ToString(), e.Message);
                }
                break;
            case YamlSequence sequence:
                for (var i = 0; i < sequence.Items.Count; i++)
                    Apply(sequence.Items[i], path.Index(i), lookup);
                break;
            case YamlMapping mapping:
                foreach (var (key, value) in mapping.Entries)
                    Apply(value, path.Next(key), lookup);
                break;
        }
    }
}
