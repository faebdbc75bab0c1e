using System.Runtime.InteropServices;

namespace Container.Runtime.Linux;

/// <summary>
/// What .NET does not tell about a file: its kind, device numbers and extended attributes,
/// through statx (whose layout is the same on every architecture) and lgetxattr.
/// </summary>
internal static partial class FileStatus
{
    private const int AT_SYMLINK_NOFOLLOW = 0x100;
    private const uint STATX_TYPE = 0x1;
    private const uint S_IFMT = 0xF000;

    [StructLayout(LayoutKind.Sequential)]
    private unsafe struct Statx
    {
        public uint Mask, BlockSize;
        public ulong Attributes;
        public uint Links, Uid, Gid;
        public ushort Mode;
        private ushort spare0;
        public ulong Inode, Size, Blocks, AttributesMask;
        public fixed byte Times[4 * 16];
        public uint RdevMajor, RdevMinor, DevMajor, DevMinor;
        public fixed ulong Spare[14];
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int StatxCall(int dirfd, string path, int flags, uint mask, Statx* buffer);

    [LibraryImport("libc", EntryPoint = "lgetxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint Lgetxattr(string path, string name, byte[]? value, nuint size);

    public enum Kind
    {
        Missing,
        Directory,
        SymbolicLink,
        Other,
    }

    /// <summary>What is at path, without following a link there, and without an exception for nothing.</summary>
    public static unsafe Kind KindOf(string path)
    {
        Statx st;
        if (StatxCall(Libc.AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_TYPE, &st) != 0)
            return Kind.Missing;
        return (st.Mode & S_IFMT) switch
        {
            0x4000 => Kind.Directory,
            0xA000 => Kind.SymbolicLink,
            _ => Kind.Other,
        };
    }

    /// <summary>An overlay whiteout: a character device 0:0.</summary>
    public static unsafe bool IsWhiteout(string path)
    {
        Statx st;
        if (StatxCall(Libc.AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_TYPE, &st) != 0)
            return false;
        return (st.Mode & S_IFMT) == Libc.S_IFCHR && st.RdevMajor == 0 && st.RdevMinor == 0;
    }

    /// <summary>An extended attribute's value, or null when the file has none of that name.</summary>
    public static byte[]? GetXattr(string path, string name)
    {
        var size = Lgetxattr(path, name, null, 0);
        if (size < 0)
            return null;
        var value = new byte[size];
        return Lgetxattr(path, name, value, (nuint)value.Length) < 0 ? null : value;
    }
}
