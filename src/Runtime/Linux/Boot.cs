namespace Container.Runtime.Linux;

/// <summary>
/// This boot of the kernel. The engine alone reads its id: each monitor is handed it and
/// records it with the run, so that a run from another boot is known to have ended.
/// </summary>
public static class Boot
{
    private static readonly Lazy<string> CurrentId = new(() => File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim());

    public static string Id => CurrentId.Value;
}
