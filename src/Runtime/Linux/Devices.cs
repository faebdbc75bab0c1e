namespace Container.Runtime.Linux;

/// <summary>Block devices by path and by number, for block IO throttles.</summary>
internal static class Devices
{
    public static (long Major, long Minor) Numbers(string devicePath) =>
        FileStatus.BlockDevice(devicePath) ?? throw Errors.Errors.InvalidLimit("Device", devicePath, "a block device (like /dev/sda)");

    /// <summary>
    /// Every device node of the host's /dev, as docker gives a privileged container: not the
    /// ones every container has of its own (null, zero, its terminals, shm...) nor the host's consoles.
    /// </summary>
    public static IEnumerable<(string Path, FileStatus.Node Node)> OfHost()
    {
        var skipped = new[]
        {
            "/dev/pts", "/dev/shm", "/dev/mqueue", "/dev/console", "/dev/ptmx", "/dev/tty",
            "/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom",
        };
        var pending = new Stack<string>(["/dev"]);
        while (pending.TryPop(out var dir))
        {
            foreach (var entry in Directory.EnumerateFileSystemEntries(dir))
            {
                if (skipped.Contains(entry))
                    continue;
                if (FileStatus.KindOf(entry) == FileStatus.Kind.Directory)
                    pending.Push(entry);
                else if (FileStatus.DeviceNode(entry, followLinks: false) is { } node)
                    yield return (entry, node);
            }
        }
    }

    /// <summary>"/dev/vda" for 254:0, as the kernel names it; "254:0" for a device it does not know.</summary>
    public static string PathOf(long major, long minor)
    {
        try
        {
            foreach (var line in File.ReadLines($"/sys/dev/block/{major}:{minor}/uevent"))
                if (line.StartsWith("DEVNAME=", StringComparison.Ordinal))
                    return "/dev/" + line["DEVNAME=".Length..];
        }
        catch (IOException)
        {
        }
        return $"{major}:{minor}";
    }
}
