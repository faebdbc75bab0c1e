namespace Container.Runtime.Compose;

/// <summary>What a project is loaded from: docker compose's -f, --project-directory, -p, --env-file and --profile, and the environment.</summary>
public sealed record ComposeLoadOptions
{
    /// <summary>The compose files, merged in order (as -f a -f b). Empty: COMPOSE_FILE's (in Environment), else the one ComposeFiles.Find finds in Directory.</summary>
    public IReadOnlyList<string> Files { get; init; } = [];

    /// <summary>Where to look for a compose file when Files is empty, and what relative Files are relative to; null: the current directory.</summary>
    public string? Directory { get; init; }

    /// <summary>The project directory (--project-directory); null: the first file's directory.</summary>
    public string? ProjectDirectory { get; init; }

    /// <summary>The project's name (-p); null: COMPOSE_PROJECT_NAME, name:, or the project directory's name.</summary>
    public string? ProjectName { get; init; }

    /// <summary>The variables to interpolate with; they win over .env's. Not the process's unless the caller passes it.</summary>
    public IDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>--env-file: these (each must exist) instead of the project directory's .env.</summary>
    public IReadOnlyList<string> EnvFiles { get; init; } = [];

    /// <summary>The active profiles; empty: COMPOSE_PROFILES's (comma separated), if set. "*" enables every profile.</summary>
    public IReadOnlyList<string> Profiles { get; init; } = [];

    /// <summary>
    /// The options a cmdlet's -Path (a compose file, or the directory that has one), -File
    /// (several, merged in order, relative to -Path's directory) and -ProjectName give, with the
    /// process's environment to interpolate with.
    /// </summary>
    public static ComposeLoadOptions Of(string path, IReadOnlyList<string> files, string? projectName, IReadOnlyList<string>? profiles = null)
    {
        var isFile = File.Exists(path);
        return new ComposeLoadOptions
        {
            Directory = isFile ? System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) : path,
            Files = isFile ? [path, .. files] : files,
            ProjectName = projectName,
            Profiles = profiles ?? [],
            Environment = System.Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
                .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal),
        };
    }
}
