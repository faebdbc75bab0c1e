namespace Container.Runtime.Linux;

/// <summary>Device numbers of a device node, for block IO throttles.</summary>
public static class Devices
{
    public static (long Major, long Minor) Numbers(string devicePath)
    {
        // /sys/dev/block/MAJ:MIN links to the device: find the one that is this node's
        var name = Path.GetFileName(new FileInfo(devicePath).LinkTarget ?? devicePath);
        var dev = $"/sys/class/block/{name}/dev";
        if (!File.Exists(dev))
            throw Errors.Errors.InvalidLimit("Device", devicePath, "a block device (like /dev/sda)");
        var parts = File.ReadAllText(dev).Trim().Split(':');
        return (long.Parse(parts[0]), long.Parse(parts[1]));
    }
}
