namespace Container.Runtime.Compose.Loading;

/// <summary>
/// The files of a project read into one tree: each file read, checked at the top level,
/// interpolated, its paths made absolute, its includes and extends resolved; then the files
/// merged in order and every unique list made so. Files reads in the order it read them.
/// </summary>
internal sealed class ProjectTree(Func<string, string?> lookup, string? home)
{
    private static readonly string[] Resources = ["services", "networks", "volumes", "secrets", "configs"];

    /// <summary>Extended files, by path: read once, their services' own extends resolved in place.</summary>
    private readonly Dictionary<string, YamlMapping> extended = new(StringComparer.Ordinal);

    private readonly List<string> includeChain = [];

    public List<string> Files { get; } = [];

    public YamlMapping Merge(IReadOnlyList<string> files, string directory)
    {
        var merged = new YamlMapping(new SourceMark(files[0], 0));
        foreach (var file in files)
            merged = (YamlMapping)TreeMerge.Merge(merged, Read(file, directory, lookup), ComposePath.Root)!;
        Uniqueness.Apply(merged, ComposePath.Root);
        return merged;
    }

    /// <summary>What `name:` the files give (the last one wins), interpolated: one input of the project's name.</summary>
    public static string? NameIn(IEnumerable<YamlMapping> roots, Func<string, string?> lookup)
    {
        string? name = null;
        foreach (var root in roots)
            if (root["name"] is YamlScalar { Value: { } text } node)
            {
                var copy = node.Clone();
                TreeInterpolation.Apply(copy, ComposePath.Root.Next("name"), lookup);
                name = ((YamlScalar)copy).Value;
            }
        return name;
    }

    public static YamlMapping ReadRaw(string file)
    {
        if (!File.Exists(file))
            throw Errors.Errors.ComposeFileNotFound(file);
        var root = YamlReader.Read(File.ReadAllText(file), file);
        Keys.Check(new Field(root, ComposePath.Root), Keys.TopLevel);
        return root;
    }

    private YamlMapping Read(string file, string directory, Func<string, string?> environment, bool includes = true)
    {
        Files.Add(file);
        var root = ReadRaw(file);
        TreeInterpolation.Apply(root, ComposePath.Root, environment);
        RelativePaths.Apply(root, directory, home);
        if (root["include"] is { } include && root.Entries.Remove("include") && includes)
        {
            includeChain.Add(file);
            foreach (var item in new Field(include, ComposePath.Root.Next("include")).Items)
                Import(root, item, Path.GetDirectoryName(file)!, environment);
            includeChain.RemoveAt(includeChain.Count - 1);
        }
        new Extends(ReadExtended).Resolve(root, file);
        return root;
    }

    private YamlMapping ReadExtended(string file)
    {
        // as compose-go reads one: only for its services, so its includes are not followed
        if (!extended.TryGetValue(file, out var root))
            extended[file] = root = Read(file, Path.GetDirectoryName(file)!, lookup, includes: false);
        return root;
    }

    /// <summary>
    /// One include: its files loaded as a project of their own (paths against its project_directory,
    /// variables from its env_file under the including project's), their resources added to root.
    /// </summary>
    private void Import(YamlMapping root, Field item, string directory, Func<string, string?> environment)
    {
        IReadOnlyList<string> paths;
        string? projectDirectory = null;
        IReadOnlyList<string>? envFiles = null;
        if (item.Node is YamlScalar)
            paths = [item.Text];
        else
        {
            Keys.Check(item, ["path", "project_directory", "env_file"]);
            paths = (item["path"] ?? throw item.Invalid("an include needs its path")).Strings;
            projectDirectory = item["project_directory"]?.Text;
            envFiles = item["env_file"]?.Strings;
        }
        var files = paths.Select(p => RelativePaths.Absolute(p, directory, home)).ToList();
        foreach (var file in files.Where(includeChain.Contains))
            throw item.Invalid($"include makes a cycle: {string.Join(" -> ", includeChain.Append(file))}");
        var ownDirectory = projectDirectory != null ? RelativePaths.Absolute(projectDirectory, directory, home) : Path.GetDirectoryName(files[0])!;
        var dotEnv = ProjectEnvironment.ReadDotEnv(
            envFiles?.Select(f => RelativePaths.Absolute(f, directory, home)).ToList() ?? [Path.Join(ownDirectory, ".env")],
            required: envFiles != null, environment);
        string? Lookup(string name) => environment(name) ?? dotEnv.GetValueOrDefault(name);
        var included = new YamlMapping(item.Node.Mark);
        foreach (var file in files)
            included = (YamlMapping)TreeMerge.Merge(included, Read(file, ownDirectory, Lookup), ComposePath.Root)!;
        foreach (var kind in Resources)
        {
            if (included[kind] is not YamlMapping imported)
                continue;
            if (root[kind] is not YamlMapping own)
                root.Entries[kind] = own = new YamlMapping(imported.Mark);
            foreach (var (key, value) in imported.Entries)
            {
                if (own[key] is { } existing && CanonicalText.Of(existing) != CanonicalText.Of(value))
                    throw item.Invalid($"the included {string.Join(", ", files)} defines {kind}.{key}, which conflicts with the one defined here");
                own.Entries[key] = value;
            }
        }
    }
}
