namespace Container.Runtime.Compose.Loading;

/// <summary>
/// The variables a project is interpolated with: its .env files' (the project directory's .env,
/// or the ones given as --env-file), under the environment given, which always wins.
/// </summary>
internal static class ProjectEnvironment
{
    public static Dictionary<string, string> ReadDotEnv(IReadOnlyList<string> files, bool required, Func<string, string?> environment)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            if (!File.Exists(file))
            {
                if (required)
                    throw Errors.Errors.PathNotFound(file);
                continue;
            }
            string? Lookup(string name) => environment(name) ?? values.GetValueOrDefault(name);
            foreach (var (key, value) in DotEnv.Parse(File.ReadAllText(file), file, Lookup))
                values[key] = value;
        }
        return values;
    }

    public static Dictionary<string, string> Combine(IReadOnlyDictionary<string, string> dotEnv, IDictionary<string, string> environment)
    {
        var combined = new Dictionary<string, string>(dotEnv, StringComparer.Ordinal);
        foreach (var (key, value) in environment)
            combined[key] = value;
        return combined;
    }
}
