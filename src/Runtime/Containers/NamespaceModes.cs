namespace Container.Runtime.Containers;

/// <summary>
/// Whose IPC and PID namespaces a container has (docker --ipc, --pid): its own (private; IPC's
/// shareable is the same here, as any container's may be joined), the host's, or another
/// container's (container:&lt;name or id&gt;, recorded by id and joined as it is at each start).
/// </summary>
public static class NamespaceModes
{
    public const string Private = "private";
    public const string Host = "host";
    public const string ContainerPrefix = "container:";

    /// <param name="option">-Ipc or -Pid, for the error</param>
    /// <param name="recordOf">the container a container: mode names, or an error when there is none</param>
    internal static string Resolve(string option, string? mode, Func<string, ContainerRecord> recordOf) => mode switch
    {
        _ when IsOwn(option, mode) => Private,
        Host => Host,
        _ when mode.StartsWith(ContainerPrefix, StringComparison.Ordinal) && mode.Length > ContainerPrefix.Length =>
            ContainerPrefix + recordOf(mode[ContainerPrefix.Length..]).Id,
        _ => throw Errors.Errors.InvalidArgument("InvalidNamespaceMode",
            $"{option} '{mode}' is not one: give private, host or container:<name or id>{(option == "-Ipc" ? " (or shareable)" : "")}.", mode),
    };

    /// <summary>Whether a mode asks for a namespace of the container's own.</summary>
    private static bool IsOwn(string option, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] string? mode) =>
        mode is null or "" or Private || (mode == "shareable" && option == "-Ipc");

    /// <summary>The container whose namespace a mode joins; null for private and host.</summary>
    public static string? JoinedId(string mode) =>
        mode.StartsWith(ContainerPrefix, StringComparison.Ordinal) ? mode[ContainerPrefix.Length..] : null;

    /// <summary>
    /// A user namespace of its own and a namespace that is not its own do not go together: the
    /// host's (or another container's) IPC and PID namespaces belong to the host's user namespace,
    /// which the container's root has no power over (podman refuses the same).
    /// </summary>
    internal static void CheckAgainstUserNamespace(ContainerSpec spec)
    {
        if (spec.UidMap is not { Count: > 0 })
            return;
        foreach (var (option, mode) in new[] { ("-Ipc", spec.Ipc), ("-Pid", spec.Pid) })
            if (!IsOwn(option, mode))
                throw Errors.Errors.InvalidArgument("NamespaceModeConflict",
                    $"{option} '{mode}' cannot be given with -UidMap: a user namespace of its own has no power over a namespace that is not its own.", mode);
    }
}
