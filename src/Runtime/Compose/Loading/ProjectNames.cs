using System.Text;

namespace Container.Runtime.Compose.Loading;

/// <summary>
/// A project's name, as docker compose chooses it: the one given, else COMPOSE_PROJECT_NAME (both
/// must be valid as they are), else the files' name:, else the project directory's name (both
/// normalized: lower case, only a-z 0-9 _ -, no leading _ or -).
/// </summary>
internal static class ProjectNames
{
    public static string Choose(string? given, string? fromEnvironment, Func<string?> fromFiles, string directory)
    {
        foreach (var name in new[] { given, fromEnvironment })
            if (!string.IsNullOrEmpty(name))
                return Normalize(name) == name ? name : throw Errors.Errors.InvalidProjectName(name);
        if (fromFiles() is { Length: > 0 } named && Normalize(named) is { Length: > 0 } normalized)
            return normalized;
        var fromDirectory = Normalize(Path.GetFileName(Path.TrimEndingDirectorySeparator(directory)));
        return fromDirectory.Length > 0 ? fromDirectory : throw Errors.Errors.InvalidProjectName(Path.GetFileName(directory));
    }

    public static string Normalize(string name)
    {
        var kept = new StringBuilder();
        foreach (var c in name.ToLowerInvariant())
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-')
                kept.Append(c);
        return kept.ToString().TrimStart('_', '-');
    }
}
