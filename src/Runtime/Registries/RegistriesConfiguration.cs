namespace Container.Runtime.Registries;

/// <summary>
/// What podman's registries.conf (v2) says about names and registries, read the way podman reads
/// it: the registries a short name is searched in (unqualified-search-registries), the short
/// names' aliases ([aliases]), and the registries reached insecure ([[registry]] with insecure).
/// CONTAINERS_REGISTRIES_CONF names the one file to read (as podman's variable does); without
/// it, /etc/containers/registries.conf and then its drop-ins in registries.conf.d, in name order,
/// a later file's search list replacing an earlier one's, its aliases and registries added.
/// </summary>
public sealed record RegistriesConfiguration
{
    public const string FileVariable = "CONTAINERS_REGISTRIES_CONF";
    private const string SystemFile = "/etc/containers/registries.conf";

    public IReadOnlyList<string> SearchRegistries { get; init; } = [];

    /// <summary>Short name (without tag) to the repository it stands for, as "alpine" = "docker.io/library/alpine".</summary>
    public IReadOnlyDictionary<string, string> Aliases { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<string> InsecureRegistries { get; init; } = [];

    public static RegistriesConfiguration FromEnvironment()
    {
        if (Environment.GetEnvironmentVariable(FileVariable) is { Length: > 0 } file)
            return Read([file]);
        IEnumerable<string> dropIns = Directory.Exists(SystemFile + ".d")
            ? Directory.EnumerateFiles(SystemFile + ".d", "*.conf").Order(StringComparer.Ordinal)
            : [];
        return Read([SystemFile, .. dropIns]);
    }

    /// <summary>The files in order, the missing ones skipped.</summary>
    public static RegistriesConfiguration Read(IEnumerable<string> files)
    {
        var search = new List<string>();
        var aliases = new Dictionary<string, string>(StringComparer.Ordinal);
        var insecure = new List<string>();
        foreach (var file in files.Where(File.Exists))
        {
            var document = TomlSubset.Parse(File.ReadAllText(file), file);
            if (document.Value("", "unqualified-search-registries") is IReadOnlyList<string> registries)
                search = [.. registries];
            foreach (var (name, value) in document.Table("aliases"))
                if (value is string repository)
                    aliases[name] = repository;
            foreach (var registry in document.Tables("registry"))
                if (registry.GetValueOrDefault("location") is string location && registry.GetValueOrDefault("insecure") is true)
                    insecure.Add(location);
        }
        return new RegistriesConfiguration { SearchRegistries = search, Aliases = aliases, InsecureRegistries = insecure };
    }
}
