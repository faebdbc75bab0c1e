namespace Container.Runtime.Compose;

/// <summary>Which file a directory's project is in, as docker compose looks for it.</summary>
public static class ComposeFiles
{
    public static readonly IReadOnlyList<string> Names = ["compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"];

    /// <summary>COMPOSE_FILE's files, separated by COMPOSE_PATH_SEPARATOR (':' unless set); none when it is not set.</summary>
    public static IReadOnlyList<string> FromVariable(IDictionary<string, string> environment)
    {
        if (!environment.TryGetValue("COMPOSE_FILE", out var files) || files.Length == 0)
            return [];
        var separator = environment.TryGetValue("COMPOSE_PATH_SEPARATOR", out var s) && s.Length > 0 ? s : ":";
        return files.Split(separator, StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>The first of Names in the directory, or in the nearest parent that has one (as docker compose looks); null if none.</summary>
    public static string? Find(string directory)
    {
        for (var dir = Path.GetFullPath(directory); dir != null; dir = Path.GetDirectoryName(dir))
            foreach (var name in Names)
                if (File.Exists(Path.Join(dir, name)))
                    return Path.Join(dir, name);
        return null;
    }
}
