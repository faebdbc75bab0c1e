using System.Buffers.Binary;
using Container.Runtime.Linux;

namespace Container.Runtime.Images;

/// <summary>
/// File capabilities in an id-shifted copy of a layer. The tar the copy goes through keeps only
/// attributes whose values are text, and a capability's is binary: each is copied here, file by
/// file. A v1 or v2 value (the host's root's) works in every user namespace and goes as it is;
/// a v3 one names the root it works for, shifted as the owners are.
/// </summary>
internal static class ShiftedCapabilities
{
    private const string Name = "security.capability";
    private const uint Revision3 = 0x03000000;
    private const int Size3 = 24;

    /// <summary>Every regular file's capabilities under source, onto the same file under target, for the namespace toHost maps.</summary>
    public static void Copy(string source, string target, OwnerMap toHost)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 };
        foreach (var file in Directory.EnumerateFiles(source, "*", options))
        {
            // only a regular file, never what a link leads to (nor a device a layer holds: opening one would reach the device)
            if (FileStatus.KindOf(file) != FileStatus.Kind.RegularFile)
                continue;
            var fd = Libc.Open(file, Libc.O_RDONLY | Libc.O_NOFOLLOW | Libc.O_CLOEXEC, 0);
            Libc.Check(fd < 0 ? -1 : 0, $"open '{file}'", file);
            byte[]? value;
            try
            {
                value = FileStatus.GetXattr(fd, Name);
            }
            finally
            {
                Libc.Close(fd);
            }
            if (value == null)
                continue;
            var shifted = ForNamespace(value, toHost);
            var copy = Path.Combine(target, Path.GetRelativePath(source, file));
            Libc.Check(Libc.Lsetxattr(copy, Name, shifted, (nuint)shifted.Length, 0), $"set the capabilities of '{copy}'", copy);
        }
    }

    /// <summary>The value with a v3 one's root id shifted to the host's; any other as it is.</summary>
    internal static byte[] ForNamespace(byte[] value, OwnerMap toHost)
    {
        if (value.Length != Size3 || (BinaryPrimitives.ReadUInt32LittleEndian(value) & 0xFF000000) != Revision3)
            return value;
        var shifted = (byte[])value.Clone();
        var root = BinaryPrimitives.ReadUInt32LittleEndian(value.AsSpan(Size3 - 4));
        BinaryPrimitives.WriteUInt32LittleEndian(shifted.AsSpan(Size3 - 4), toHost(root, 0).Uid);
        return shifted;
    }
}
