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
    /// <remarks>
    /// Names and values in two lists of strings, not a list of pairs: LINQ and List's search over
    /// KeyValuePair are generic code over a struct that no ReadyToRun image holds, JIT-compiled on
    /// a new session's first container.
    /// </remarks>
    public static List<string> Merge(IEnumerable<string>? image, IReadOnlyDictionary<string, string>? user)
    {
        var names = new List<string>();
        var values = new List<string>();
        void Set(string name, string value)
        {
            var at = names.IndexOf(name);
            if (at >= 0)
                values[at] = value;
            else
            {
                names.Add(name);
                values.Add(value);
            }
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
        if (!names.Contains("PATH"))
        {
            names.Insert(0, "PATH");
            values.Insert(0, SecurityDefaults.DefaultPath["PATH=".Length..]);
        }
        var merged = new List<string>(names.Count);
        for (var i = 0; i < names.Count; i++)
            merged.Add($"{names[i]}={values[i]}");
        return merged;
    }
}
