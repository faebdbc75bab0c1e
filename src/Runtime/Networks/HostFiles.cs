namespace Container.Runtime.Networks;

/// <summary>What a container's /etc files are made from on the host: its hosts, resolv.conf and hostname.</summary>
internal static class HostFiles
{
    public static string? Read(string path) => Linux.SmallFile.ReadText(path);

    public static string Hostname() => Read("/proc/sys/kernel/hostname")?.Trim() is { Length: > 0 } name ? name : Environment.MachineName;
}
