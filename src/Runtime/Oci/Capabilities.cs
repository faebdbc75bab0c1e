namespace Container.Runtime.Oci;

/// <summary>Capability sets: docker's default, plus what a container adds, minus what it drops.</summary>
public static class Capabilities
{
    public static readonly IReadOnlyList<string> All =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID",
        "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN",
        "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
        "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME",
        "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP",
        "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ",
        "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE",
    ];

    /// <summary>
    /// Every capability this host lets a process hold (this process's bounding set): what
    /// "all" gives, as podman gives it; a runtime refuses a capability outside that set.
    /// </summary>
    public static IReadOnlyList<string> Available => AvailableOnHost.Value;

    private static readonly Lazy<IReadOnlyList<string>> AvailableOnHost = new(() =>
    {
        var bounding = Convert.ToUInt64(File.ReadLines("/proc/self/status").First(l => l.StartsWith("CapBnd:", StringComparison.Ordinal))[7..].Trim(), 16);
        // All is in the kernel's order: a capability's index is its number
        return All.Where((_, number) => (bounding & (1UL << number)) != 0).ToList();
    });

    /// <summary>The default set with add applied, then drop ("ALL" in either stands for every capability the host has), as docker does.</summary>
    public static List<string> Resolve(IEnumerable<string>? add, IEnumerable<string>? drop)
    {
        var adding = (add ?? []).Select(Normalise).ToList();
        var dropping = (drop ?? []).Select(Normalise).ToList();
        var set = dropping.Contains("ALL") ? new List<string>() : [.. SecurityDefaults.Capabilities];
        foreach (var cap in adding.Contains("ALL") ? Available : adding)
            if (!set.Contains(cap))
                set.Add(cap);
        set.RemoveAll(cap => dropping.Contains(cap) && !adding.Contains(cap));
        return set;
    }

    private static string Normalise(string name)
    {
        var upper = name.Trim().ToUpperInvariant();
        if (upper == "ALL")
            return upper;
        var full = upper.StartsWith("CAP_", StringComparison.Ordinal) ? upper : "CAP_" + upper;
        if (!All.Contains(full))
            throw Errors.Errors.InvalidArgument("InvalidCapability", $"'{name}' is not a Linux capability.", name);
        return full;
    }
}
