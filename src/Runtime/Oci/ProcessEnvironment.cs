namespace Container.Runtime.Oci;

/// <summary>The variables a runtime gives a container's processes unless the image or the user set them, as docker does.</summary>
public static class ProcessEnvironment
{
    /// <summary>TERM for a process with a pseudo-terminal.</summary>
    public const string Terminal = "xterm";

    public static bool IsSet(IEnumerable<string> environment, string name) => environment.Any(e => Defines(e, name));

    /// <summary>Adds name=value unless the environment has name already.</summary>
    public static void SetDefault(List<string> environment, string name, string value)
    {
        if (!IsSet(environment, name))
            environment.Add($"{name}={value}");
    }

    /// <summary>Sets name=value, replacing any value it had.</summary>
    public static void Set(List<string> environment, string name, string value)
    {
        environment.RemoveAll(e => Defines(e, name));
        environment.Add($"{name}={value}");
    }

    private static bool Defines(string entry, string name) =>
        entry.Length > name.Length && entry[name.Length] == '=' && entry.StartsWith(name, StringComparison.Ordinal);

    /// <summary>The image's variables, then the user's (which win); PATH always set.</summary>
    public static List<string> Merge(IEnumerable<string>? image, IReadOnlyDictionary<string, string>? user)
    {
        var merged = new List<KeyValuePair<string, string>>();
        void Set(string key, string value)
        {
            var at = merged.FindIndex(kv => kv.Key == key);
            if (at >= 0)
                merged[at] = new(key, value);
            else
                merged.Add(new(key, value));
        }
        foreach (var entry in image ?? [])
        {
            var eq = entry.IndexOf('=');
            if (eq > 0)
                Set(entry[..eq], entry[(eq + 1)..]);
        }
        foreach (var (key, value) in user ?? new Dictionary<string, string>())
        {
            if (key.Length == 0 || key.Contains('='))
                throw Errors.Errors.InvalidArgument("InvalidEnvironment", $"'{key}' is not a valid environment variable name.", key);
            Set(key, value);
        }
        if (!merged.Any(kv => kv.Key == "PATH"))
            merged.Insert(0, new("PATH", SecurityDefaults.DefaultPath["PATH=".Length..]));
        return merged.Select(kv => $"{kv.Key}={kv.Value}").ToList();
    }
}
