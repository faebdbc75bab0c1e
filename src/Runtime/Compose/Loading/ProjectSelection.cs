namespace Container.Runtime.Compose;

/// <summary>
/// The project a compose cmdlet was pointed at: -Path (a compose file or the directory that
/// has one; null when not given, which means the current directory), -File and -ProjectName.
/// As docker compose: a name alone (-p) names a project without reading any file, since what
/// the project made is found by its labels; nothing at all, for ls, means every project.
/// </summary>
/// <param name="CurrentDirectory">where the session is, for a Path not given</param>
public sealed record ProjectSelection(string CurrentDirectory, string? Path, IReadOnlyList<string> Files, string? Name)
{
    /// <summary>Neither a file, a directory nor a name was given.</summary>
    public bool NamesNothing => Path == null && Files.Count == 0 && Name == null;

    /// <summary>Only a name was given: no file need be read.</summary>
    public bool IsNameAlone => Name != null && Path == null && Files.Count == 0;

    /// <summary>The project its files describe.</summary>
    public ComposeProject Load() => ComposeLoader.Load(ComposeLoadOptions.Of(Path ?? CurrentDirectory, Files, Name));

    /// <summary>The project's name: the name given alone, else its files'.</summary>
    public string ProjectName() => IsNameAlone ? Name! : Load().Name;
}
