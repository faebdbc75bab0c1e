using Container.Runtime.Compose.Loading;

namespace Container.Runtime.Compose;

/// <summary>
/// Loads a compose project: YAML into a tree, interpolated, each file's paths made absolute,
/// includes and extends resolved, the files merged by the specification's rules, then typed
/// into a ComposeProject with the profiles applied. Errors are ContainerExceptions that name the
/// file and the field. Reads files only; starts nothing.
/// </summary>
public static class ComposeLoader
{
    public static ComposeProject Load(ComposeLoadOptions options)
    {
        var directory = Path.GetFullPath(options.Directory ?? System.Environment.CurrentDirectory);
        var given = options.Files.Count > 0 ? options.Files : ComposeFiles.FromVariable(options.Environment);
        IReadOnlyList<string> files = given.Count > 0
            ? given.Select(f => Path.GetFullPath(f, directory)).ToList()
            : [ComposeFiles.Find(directory) ?? throw Errors.Errors.ComposeFileNotFound(directory)];
        var projectDirectory = options.ProjectDirectory != null ? Path.GetFullPath(options.ProjectDirectory, directory) : Path.GetDirectoryName(files[0])!;

        string? Given(string name) => options.Environment.TryGetValue(name, out var value) ? value : null;
        var dotEnv = ProjectEnvironment.ReadDotEnv(
            options.EnvFiles.Count > 0 ? options.EnvFiles.Select(f => Path.GetFullPath(f, directory)).ToList() : [Path.Join(projectDirectory, ".env")],
            required: options.EnvFiles.Count > 0, Given);
        var environment = ProjectEnvironment.Combine(dotEnv, options.Environment);
        string? Lookup(string name) => environment.GetValueOrDefault(name);

        var name = ProjectNames.Choose(options.ProjectName, Lookup("COMPOSE_PROJECT_NAME"),
            () => ProjectTree.NameIn(files.Select(ProjectTree.ReadRaw), Lookup), projectDirectory);
        environment["COMPOSE_PROJECT_NAME"] = name;

        var home = Lookup("HOME") ?? System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile);
        var tree = new ProjectTree(Lookup, home);
        var root = (YamlMapping)TreeMerge.Untagged(tree.Merge(files, projectDirectory))!;
        var profiles = options.Profiles.Count > 0 ? options.Profiles
            : Lookup("COMPOSE_PROFILES")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        return ProjectReader.Read(root, name, projectDirectory, tree.Files.Distinct().ToValueList(), profiles, ValueMap.Of(environment));
    }
}
