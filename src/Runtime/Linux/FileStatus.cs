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

    public enum Kind
    {
        Missing,
        Directory,
        SymbolicLink,
        RegularFile,
        /// <summary>A device node, a FIFO or a socket.</summary>
        Special,
    }

    /// <summary>What is at path, without following a link there, and without an exception for nothing.</summary>
    public static unsafe Kind KindOf(string path)
    {
        Statx st;
        return StatxCall(Libc.AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_TYPE, &st) != 0 ? Kind.Missing : KindOfMode(st.Mode);
    }

    /// <summary>What an open file descriptor (an O_PATH one included) refers to.</summary>
    public static unsafe Kind KindOf(int fd)
    {
        Statx st;
        return StatxCall(fd, "", 0x1000 /* AT_EMPTY_PATH */, STATX_TYPE, &st) != 0 ? Kind.Missing : KindOfMode(st.Mode);
    }

    /// <summary>
    /// What a tar entry records of a file: type and permission bits, owner, size, modification
    /// time, device numbers; and which file it is (its file system's device and its inode, and
    /// how many names it has), so that a second name is written as a hard link.
    /// </summary>
    public sealed record Metadata(uint Mode, uint Uid, uint Gid, long Size, long ModifiedSeconds, uint ModifiedNanoseconds, uint DeviceMajor, uint DeviceMinor)
    {
        public uint Type => Mode & S_IFMT;

        public uint Links { get; init; }

        public (uint Major, uint Minor, ulong Inode) Identity { get; init; }
    }

    /// <summary>The metadata of what an open file descriptor (an O_PATH one included) refers to; null if it cannot be read.</summary>
    public static unsafe Metadata? Of(int fd)
    {
        Statx st;
        if (StatxCall(fd, "", 0x1000 /* AT_EMPTY_PATH */, 0x7FF /* STATX_BASIC_STATS */, &st) != 0)
            return null;
        return MetadataOf(&st);
    }

    /// <summary>The metadata of what path names, a link itself and not what it points at; null if it cannot be read.</summary>
    public static unsafe Metadata? OfLink(string path)
    {
        Statx st;
        if (StatxCall(Libc.AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, 0x7FF /* STATX_BASIC_STATS */, &st) != 0)
            return null;
        return MetadataOf(&st);
    }

    private static unsafe Metadata MetadataOf(Statx* st)
    {
        // statx_timestamp { s64 tv_sec; u32 tv_nsec; s32 reserved } for atime, btime, ctime, mtime
        var mtime = st->Times + 3 * 16;
        return new Metadata(st->Mode, st->Uid, st->Gid, (long)st->Size, *(long*)mtime, *(uint*)(mtime + 8), st->RdevMajor, st->RdevMinor)
        {
            Links = st->Links,
            Identity = (st->DevMajor, st->DevMinor, st->Inode),
        };
    }

    /// <summary>Every extended attribute of what path names (followed: a descriptor's /proc/self/fd/N path reaches the file it holds).</summary>
    public static List<(string Name, byte[] Value)> Xattrs(string path)
    {
        var size = Listxattr(path, null, 0);
        if (size <= 0)
            return [];
        var names = new byte[size];
        size = Listxattr(path, names, (nuint)names.Length);
        if (size <= 0)
            return [];
        List<(string, byte[])> xattrs = [];
        foreach (var name in System.Text.Encoding.UTF8.GetString(names, 0, (int)size).Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var length = Getxattr(path, name, null, 0);
            if (length < 0)
                continue;
            var value = new byte[length];
            if (Getxattr(path, name, value, (nuint)value.Length) >= 0)
                xattrs.Add((name, value));
        }
        return xattrs;
    }

    [LibraryImport("libc", EntryPoint = "listxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint Listxattr(string path, byte[]? names, nuint size);

    [LibraryImport("libc", EntryPoint = "getxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint Getxattr(string path, string name, byte[]? value, nuint size);

    /// <summary>An extended attribute of an open file's, or null when it has none of that name.</summary>
    public static byte[]? GetXattr(int fd, string name)
    {
        var size = Fgetxattr(fd, name, null, 0);
        if (size < 0)
            return null;
        var value = new byte[size];
        return Fgetxattr(fd, name, value, (nuint)value.Length) < 0 ? null : value;
    }

    [LibraryImport("libc", EntryPoint = "fgetxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint Fgetxattr(int fd, string name, byte[]? value, nuint size);

    /// <summary>Whether an open file descriptor (an O_PATH one included) is a regular file.</summary>
    public static unsafe bool IsRegularFile(int fd)
    {
        Statx st;
        return StatxCall(fd, "", 0x1000 /* AT_EMPTY_PATH */, STATX_TYPE, &st) == 0 && (st.Mode & S_IFMT) == Libc.S_IFREG;
    }

    private static Kind KindOfMode(uint mode) => (mode & S_IFMT) switch
    {
        0x4000 => Kind.Directory,
        0xA000 => Kind.SymbolicLink,
        0x8000 => Kind.RegularFile,
        _ => Kind.Special,
    };

    /// <summary>A socket at path (not followed): no archive can hold one.</summary>
    public static unsafe bool IsSocket(string path)
    {
        Statx st;
        return StatxCall(Libc.AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_TYPE, &st) == 0 && (st.Mode & S_IFMT) == 0xC000;
    }

    [LibraryImport("libc", EntryPoint = "statfs", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int StatfsCall(string path, long* buffer);

    /// <summary>
    /// The kernel's own file systems, whose files describe the running system rather than
    /// hold data (proc, sysfs, cgroup, devpts, mqueue, and their kin), by statfs's f_type.
    /// </summary>
    private static readonly HashSet<long> KernelFileSystems =
    [
        0x9fa0 /* proc */, 0x62656572 /* sysfs */, 0x27e0eb /* cgroup */, 0x63677270 /* cgroup2 */, 0x1cd1 /* devpts */,
        0x19800202 /* mqueue */, 0x73636673 /* securityfs */, 0x64626720 /* debugfs */, 0x74726163 /* tracefs */,
        0xcafe4a11 /* bpf */, 0x6165676C /* pstore */, 0x62656570 /* configfs */, 0x65735543 /* fusectl */,
        0x42494e4d /* binfmt_misc */, 0xde5e81e4 /* efivarfs */, 0xf97cff8c /* selinuxfs */, 0x6e736673 /* nsfs */,
    ];

    /// <summary>Whether the directory at path (links followed) is on one of the kernel's own file systems.</summary>
    public static bool IsKernelFileSystem(string path) => FileSystemType(path) is { } type && KernelFileSystems.Contains(type);

    /// <summary>The type (statfs's f_type, a magic number) of the file system at path (links followed); null when it cannot be asked.</summary>
    public static unsafe long? FileSystemType(string path)
    {
        var buffer = stackalloc long[16]; // struct statfs: 120 bytes on 64-bit, f_type first
        return StatfsCall(path, buffer) == 0 ? buffer[0] : null;
    }

    /// <summary>The inode number of what is at path (links followed), or 0.</summary>
    public static unsafe ulong Inode(string path)
    {
        Statx st;
        return StatxCall(Libc.AT_FDCWD, path, 0, 0x100 /* STATX_INO */, &st) == 0 ? st.Inode : 0;
    }

    /// <summary>The numbers of the device that holds path (major 0 for tmpfs, overlay and the like), or null when nothing is there.</summary>
    public static unsafe (long Major, long Minor)? DeviceOf(string path)
    {
        Statx st;
        return StatxCall(Libc.AT_FDCWD, path, 0, STATX_TYPE, &st) == 0 ? (st.DevMajor, st.DevMinor) : null;
    }

    /// <summary>The device numbers of the block device node at path (links followed), or null when it is none.</summary>
    public static (long Major, long Minor)? BlockDevice(string path) =>
        DeviceNode(path, followLinks: true) is { Block: true } node ? (node.Major, node.Minor) : null;

    public sealed record Node(bool Block, long Major, long Minor, uint Mode, uint Uid, uint Gid);

    /// <summary>What a device node at path is (its kind, numbers, permissions and owner), or null when it is none.</summary>
    public static unsafe Node? DeviceNode(string path, bool followLinks)
    {
        Statx st;
        if (StatxCall(Libc.AT_FDCWD, path, followLinks ? 0 : AT_SYMLINK_NOFOLLOW, 0x7FF /* STATX_BASIC_STATS */, &st) != 0)
            return null;
        var kind = st.Mode & S_IFMT;
        if (kind != 0x6000 /* S_IFBLK */ && kind != Libc.S_IFCHR)
            return null;
        return new Node(kind == 0x6000, st.RdevMajor, st.RdevMinor, st.Mode & 0xFFFu, st.Uid, st.Gid);
    }

    /// <summary>An overlay whiteout: a character device 0:0.</summary>
    public static unsafe bool IsWhiteout(string path)
    {
        Statx st;
        if (StatxCall(Libc.AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_TYPE, &st) != 0)
            return false;
        return (st.Mode & S_IFMT) == Libc.S_IFCHR && st.RdevMajor == 0 && st.RdevMinor == 0;
    }
}
