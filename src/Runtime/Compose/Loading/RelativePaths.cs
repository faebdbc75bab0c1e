namespace Container.Runtime.Compose.Loading;

/// <summary>
/// The paths of a file's tree made absolute, against the directory they are relative to (the
/// project directory for the files given; an extended or included file's own for theirs), '~'
/// as the home directory: build contexts, env_file, bind sources, extends.file, the files of
/// secrets and configs (a build without a context is the project directory's: ServiceReader). Done on each file before merging, so a path keeps the meaning it had
/// where it was written.
/// </summary>
internal static class RelativePaths
{
    public static void Apply(YamlMapping root, string directory, string? home)
    {
        string Resolve(string path) => Absolute(path, directory, home);
        if (root["services"] is YamlMapping services)
            foreach (var service in services.Entries.Values.OfType<YamlMapping>())
            {
                switch (service["build"])
                {
                    case YamlScalar { Value: { } context } scalar when !IsRemote(context):
                        scalar.Value = Resolve(context);
                        break;
                    case YamlMapping build when build["context"] is YamlScalar { Value: { } c } contextNode && !IsRemote(c):
                        contextNode.Value = Resolve(c);
                        break;
                }
                switch (service["env_file"])
                {
                    case YamlScalar scalar:
                        ResolveScalar(scalar, Resolve);
                        break;
                    case YamlSequence files:
                        foreach (var file in files.Items)
                            ResolveScalar(file is YamlMapping m ? m["path"] : file, Resolve);
                        break;
                }
                if (service["volumes"] is YamlSequence volumes)
                    foreach (var volume in volumes.Items)
                        if (volume is YamlScalar { Value: { } text } scalar)
                            scalar.Value = ShortVolume(text, Resolve);
                        else if (volume is YamlMapping { } longForm && longForm["type"] is YamlScalar { Value: "bind" })
                            ResolveScalar(longForm["source"], Resolve);
                if (service["extends"] is YamlMapping extends)
                    ResolveScalar(extends["file"], Resolve);
            }
        foreach (var kind in (string[])["secrets", "configs"])
            if (root[kind] is YamlMapping objects)
                foreach (var item in objects.Entries.Values.OfType<YamlMapping>())
                    ResolveScalar(item["file"], Resolve);
    }

    public static string Absolute(string path, string directory, string? home)
    {
        if (home != null && (path == "~" || path.StartsWith("~/", StringComparison.Ordinal)))
            return Path.Join(home, path[1..]).TrimEnd('/') is { Length: > 0 } joined ? joined : "/";
        return Path.GetFullPath(path, directory);
    }

    private static void ResolveScalar(YamlNode? node, Func<string, string> resolve)
    {
        if (node is YamlScalar { Value: { } value } scalar)
            scalar.Value = resolve(value);
    }

    private static string ShortVolume(string text, Func<string, string> resolve)
    {
        var colon = text.IndexOf(':');
        if (colon <= 0 || !VolumeSyntax.IsPath(text[..colon]))
            return text;
        return resolve(text[..colon]) + text[colon..];
    }

    /// <summary>A build context that is a git repository or a URL, not a directory.</summary>
    private static bool IsRemote(string context) =>
        context.Contains("://", StringComparison.Ordinal) || context.StartsWith("git@", StringComparison.Ordinal) || context.StartsWith("github.com/", StringComparison.Ordinal);
}
