namespace Container.Runtime.Images;

/// <summary>The container defaults an imported image carries (its config's Cmd, Env, WorkingDir).</summary>
public static class ImageDefaults
{
    public static ContainerConfig From(IReadOnlyList<string>? command, IReadOnlyDictionary<string, string>? environment, string? workingDirectory) =>
        new()
        {
            Cmd = command?.ToList(),
            Env = environment?.Select(kv => $"{kv.Key}={kv.Value}").ToList() is { Count: > 0 } env
                ? env
                : [Oci.SecurityDefaults.DefaultPath],
            WorkingDir = workingDirectory,
        };
}
