namespace Container.Runtime.Volumes;

/// <summary>
/// The local driver's options, as docker's: type (a file system type, or none for a bind),
/// device (its source: tmpfs, a host path) and o (mount options, as mount -o takes them:
/// flags and the file system's own). A volume without options is its plain directory.
/// </summary>
internal static class LocalDriverMount
{
    private static readonly Dictionary<string, ulong> Flags = new(StringComparer.Ordinal)
    {
        ["ro"] = 1, ["nosuid"] = 2, ["nodev"] = 4, ["noexec"] = 8, ["noatime"] = 1024, ["bind"] = 4096, ["rbind"] = 4096 | 16384,
    };

    /// <summary>Refuses, before anything is made, options the driver does not know or cannot mount.</summary>
    public static void Check(string name, IReadOnlyDictionary<string, string> options)
    {
        if (options.Count == 0)
            return;
        foreach (var key in options.Keys.Where(k => k is not ("type" or "o" or "device")))
            throw Errors.Errors.InvalidVolumeOption(name, key, "the local driver takes type, o and device");
        if (!options.TryGetValue("type", out var type) || type.Length == 0)
            throw Errors.Errors.InvalidVolumeOption(name, "type", "give the file system's type (tmpfs), or none with o=bind and a device");
        var (flags, _) = Split(options.GetValueOrDefault("o"));
        if (type == "none" && (flags & Flags["bind"]) == 0)
            throw Errors.Errors.InvalidVolumeOption(name, "type", "type=none is a bind: give o=bind and the device to bind");
        if ((flags & Flags["bind"]) != 0 && options.GetValueOrDefault("device") is not { } device)
            throw Errors.Errors.InvalidVolumeOption(name, "device", "a bind needs the host directory as its device");
        else if ((flags & Flags["bind"]) != 0 && !Directory.Exists(options["device"]))
            throw Errors.Errors.InvalidVolumeOption(name, "device", $"the host directory '{options["device"]}' does not exist");
    }

    public static void Mount(Linux.IMounts mounts, string name, IReadOnlyDictionary<string, string> options, string target)
    {
        var type = options["type"];
        var (flags, data) = Split(options.GetValueOrDefault("o"));
        mounts.MountFileSystem(options.GetValueOrDefault("device") ?? type, target, type, flags, data);
    }

    private static (ulong Flags, string? Data) Split(string? o)
    {
        ulong flags = 0;
        List<string> data = [];
        foreach (var option in (o ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
            if (Flags.TryGetValue(option, out var flag))
                flags |= flag;
            else
                data.Add(option);
        return (flags, data.Count > 0 ? string.Join(',', data) : null);
    }
}
