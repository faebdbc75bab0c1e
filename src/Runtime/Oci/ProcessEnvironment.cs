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
}
