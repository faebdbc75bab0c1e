namespace Container.Runtime.Compose.Loading;

/// <summary>
/// The other services whose namespaces a service joins (network_mode, ipc, pid: service:NAME).
/// Each is a dependency the file need not write: the loader adds it to depends_on (as docker
/// compose does for network_mode), so that service starts first, and with restart, since the
/// joiner is joined to one container by its id and a new one leaves it joined to none.
/// </summary>
internal static class ServiceReferences
{
    public const string ServicePrefix = "service:";

    /// <summary>The fields that may join another's namespace, with what each says (null when not given).</summary>
    public static IEnumerable<(string Field, string? Mode)> NamespaceFields(ComposeService service) =>
        [("network_mode", service.NetworkMode), ("ipc", service.Ipc), ("pid", service.Pid)];

    /// <summary>Each field that names another service, with the service it names.</summary>
    public static IEnumerable<(string Field, string Service)> Of(ComposeService service)
    {
        foreach (var (field, mode) in NamespaceFields(service))
            if (ServiceOf(mode) is { } name)
                yield return (field, name);
    }

    /// <summary>The service a service:NAME mode names; null for any other mode.</summary>
    public static string? ServiceOf(string? mode) =>
        mode != null && mode.StartsWith(ServicePrefix, StringComparison.Ordinal) ? mode[ServicePrefix.Length..] : null;
}
