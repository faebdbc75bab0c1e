using System.Formats.Tar;
using System.Runtime.InteropServices;
using System.Text;
using Container.Runtime.Linux;

namespace Container.Runtime.Images;

/// <summary>
/// Unpacks a layer tarball into a directory that becomes an overlay lower dir, or files
/// copied into a container (docker cp). Safe by construction: every entry lands inside the target (no <c>..</c>, no absolute
/// names, no symlinked parent, no hard link leaving the layer), nothing is followed while
/// unpacking (files are made with O_EXCL|O_NOFOLLOW, then set up through their fd), and
/// OCI whiteouts become overlay whiteouts. Fast: parents are checked once, and a file
/// costs an open, its writes, an fchown, fchmod, futimens and close.
/// </summary>
public static class LayerUnpacker
{
    private const string WhiteoutPrefix = ".wh.";
    private const string OpaqueWhiteout = ".wh..wh..opq";

    /// <summary>Unpacks tar (uncompressed) into target, which must exist and be empty.</summary>
    public static void Unpack(Stream tar, string target, Action<long>? bytesRead = null) =>
        new Unpacking(Path.GetFullPath(target).TrimEnd('/'), copying: false).Run(tar, bytesRead);

    /// <summary>
    /// Copies what tar holds into target, a directory with files in it already: a file
    /// replaces a file, directories merge, ".wh." names are only names, and a directory is
    /// never replaced by a file (nor a file by a directory), as docker cp refuses it.
    /// </summary>
    public static void CopyInto(Stream tar, string target) =>
        new Unpacking(Path.GetFullPath(target).TrimEnd('/'), copying: true).Run(tar, null);

    /// <summary>
    /// The entry's path relative to the layer root. Leading '/' and './' are dropped; a '..'
    /// that would climb above the root is refused.
    /// </summary>
    public static string SafeRelativePath(string name)
    {
        var parts = new List<string>();
        foreach (var part in name.Replace('\\', '/').Split('/'))
        {
            if (part.Length == 0 || part == ".")
                continue;
            if (part == "..")
            {
                if (parts.Count == 0)
                    throw Refused(name, "points outside the layer");
                parts.RemoveAt(parts.Count - 1);
                continue;
            }
            if (part.Contains('\0'))
                throw Refused(name, "has a NUL in its name");
            parts.Add(part);
        }
        return string.Join('/', parts);
    }

    private static Errors.ContainerException Refused(string name, string why) =>
        Errors.Errors.InvalidArgument("InvalidLayer", $"Layer entry '{name}' {why}.", name);

    private sealed class Unpacking(string root, bool copying)
    {
        // relative directories known to be real directories (made or checked here)
        private readonly HashSet<string> directories = [""];
        // their metadata goes last: making their children changes their times
        private readonly List<(string Path, TarEntry Entry)> directoryEntries = [];
        private readonly byte[] buffer = new byte[1 << 17];

        public void Run(Stream tar, Action<long>? bytesRead)
        {
            using var reader = new TarReader(tar, leaveOpen: true);
            while (reader.GetNextEntry(copyData: false) is { } entry)
            {
                var relative = SafeRelativePath(entry.Name);
                if (relative.Length == 0)
                {
                    if (entry.EntryType == TarEntryType.Directory)
                        directoryEntries.Add((root, entry));
                    continue;
                }
                var slash = relative.LastIndexOf('/');
                var parentRelative = slash < 0 ? "" : relative[..slash];
                var name = relative[(slash + 1)..];
                EnsureDirectory(parentRelative, relative);
                var parent = parentRelative.Length == 0 ? root : Path.Combine(root, parentRelative);
                var path = Path.Combine(parent, name);
                if (copying)
                    Write(relative, path, entry);
                else if (name == OpaqueWhiteout)
                    SetXattr(parent, "trusted.overlay.opaque", "y"u8.ToArray(), required: true);
                else if (name.StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
                    Create(Path.Combine(parent, name[WhiteoutPrefix.Length..]),
                        p => Libc.Mknod(p, Libc.S_IFCHR, Libc.MakeDevice(0, 0)), "make whiteout");
                else
                    Write(relative, path, entry);
                bytesRead?.Invoke(entry.Length);
            }
            foreach (var (path, entry) in Enumerable.Reverse(directoryEntries))
                SetPathMetadata(path, entry, isSymlink: false);
        }

        private void Write(string relative, string path, TarEntry entry)
        {
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    if (!directories.Contains(relative))
                    {
                        MakeDirectory(path);
                        directories.Add(relative);
                    }
                    directoryEntries.Add((path, entry));
                    return;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    WriteFile(path, entry);
                    return;
                case TarEntryType.SymbolicLink:
                    // the target is only text here; the container resolves it inside its own root
                    Create(path, p => Libc.Symlink(entry.LinkName, p), "symlink");
                    SetPathMetadata(path, entry, isSymlink: true);
                    return;
                case TarEntryType.HardLink:
                    var linkedRelative = SafeRelativePath(entry.LinkName);
                    var linkSlash = linkedRelative.LastIndexOf('/');
                    EnsureDirectory(linkSlash < 0 ? "" : linkedRelative[..linkSlash], entry.LinkName);
                    var linked = Path.Combine(root, linkedRelative);
                    if (FileStatus.KindOf(linked) is FileStatus.Kind.Missing or FileStatus.Kind.Directory)
                        throw Refused(entry.Name, $"is a hard link to '{entry.LinkName}', which is not a file in the layer");
                    // shares the inode: its metadata was set by the original
                    Create(path, p => Libc.Link(linked, p), "hard link");
                    return;
                case TarEntryType.CharacterDevice or TarEntryType.BlockDevice or TarEntryType.Fifo:
                    var kind = entry.EntryType switch
                    {
                        TarEntryType.CharacterDevice => Libc.S_IFCHR,
                        TarEntryType.BlockDevice => Libc.S_IFBLK,
                        _ => Libc.S_IFIFO,
                    };
                    var device = entry is PosixTarEntry posix ? Libc.MakeDevice((uint)posix.DeviceMajor, (uint)posix.DeviceMinor) : 0;
                    Create(path, p => Libc.Mknod(p, kind | (uint)entry.Mode, device), "mknod");
                    SetPathMetadata(path, entry, isSymlink: false);
                    return;
                default:
                    return; // global PAX headers, sparse files: nothing to write
            }
        }

        private unsafe void WriteFile(string path, TarEntry entry)
        {
            var fd = Libc.Open(path, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_EXCL | Libc.O_NOFOLLOW | Libc.O_CLOEXEC, 0b110_000_000);
            if (fd < 0 && Marshal.GetLastPInvokeError() == Libc.EEXIST)
            {
                // a later entry replaces an earlier one: remove it (a link itself, never its target)
                RemoveExisting(path);
                fd = Libc.Open(path, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_EXCL | Libc.O_NOFOLLOW | Libc.O_CLOEXEC, 0b110_000_000);
            }
            Libc.Check(fd < 0 ? -1 : 0, $"create '{path}'", path);
            try
            {
                if (entry.DataStream is { } data)
                {
                    int n;
                    while ((n = data.Read(buffer)) > 0)
                        fixed (byte* p = buffer)
                            for (var written = 0; written < n;)
                            {
                                var w = Libc.Write(fd, p + written, (nuint)(n - written));
                                Libc.Check(w < 0 ? -1 : 0, $"write '{path}'", path);
                                written += (int)w;
                            }
                }
                Libc.Check(Libc.Fchown(fd, (uint)entry.Uid, (uint)entry.Gid), $"chown '{path}'", path);
                if (entry is PaxTarEntry pax)
                    foreach (var (key, value) in pax.ExtendedAttributes)
                        if (key.StartsWith("SCHILY.xattr.", StringComparison.Ordinal))
                        {
                            var bytes = Encoding.Latin1.GetBytes(value);
                            Libc.Fsetxattr(fd, key["SCHILY.xattr.".Length..], bytes, (nuint)bytes.Length, 0);
                        }
                // after chown, which clears set-id bits
                Libc.Check(Libc.Fchmod(fd, (uint)entry.Mode), $"chmod '{path}'", path);
                var time = Time(entry);
                Libc.Futimens(fd, [time, time]);
            }
            finally
            {
                Libc.Close(fd);
            }
        }

        private static void SetPathMetadata(string path, TarEntry entry, bool isSymlink)
        {
            Libc.Check(Libc.Lchown(path, (uint)entry.Uid, (uint)entry.Gid), $"chown '{path}'", path);
            if (entry is PaxTarEntry pax)
                foreach (var (key, value) in pax.ExtendedAttributes)
                    if (key.StartsWith("SCHILY.xattr.", StringComparison.Ordinal))
                        SetXattr(path, key["SCHILY.xattr.".Length..], Encoding.Latin1.GetBytes(value), required: false);
            if (!isSymlink)
                Libc.Check(Libc.Chmod(path, (uint)entry.Mode), $"chmod '{path}'", path);
            var time = Time(entry);
            Libc.Utimensat(Libc.AT_FDCWD, path, [time, time], Libc.AT_SYMLINK_NOFOLLOW);
        }

        private static Libc.Timespec Time(TarEntry entry) => new()
        {
            Seconds = entry.ModificationTime.ToUnixTimeSeconds(),
            Nanoseconds = entry.ModificationTime.Ticks % TimeSpan.TicksPerSecond * 100,
        };

        /// <summary>Makes relative (and its parents) real directories; a link on the way is refused.</summary>
        private void EnsureDirectory(string relative, string entryName)
        {
            if (directories.Contains(relative))
                return;
            var slash = relative.LastIndexOf('/');
            if (slash > 0)
                EnsureDirectory(relative[..slash], entryName);
            var path = Path.Combine(root, relative);
            switch (FileStatus.KindOf(path))
            {
                case FileStatus.Kind.Directory:
                    break;
                case FileStatus.Kind.SymbolicLink:
                    throw Refused(entryName, $"goes through the symbolic link '{relative}'");
                case FileStatus.Kind.Other:
                    RemoveExisting(path, forDirectory: true);
                    MakeDirectory(path);
                    break;
                default:
                    MakeDirectory(path);
                    break;
            }
            directories.Add(relative);
        }

        private void MakeDirectory(string path)
        {
            if (Libc.Mkdir(path, 0b111_101_101) == 0)
                return;
            if (Marshal.GetLastPInvokeError() != Libc.EEXIST)
                Libc.Check(-1, $"mkdir '{path}'", path);
            if (FileStatus.KindOf(path) == FileStatus.Kind.Directory)
                return;
            RemoveExisting(path, forDirectory: true);
            Libc.Check(Libc.Mkdir(path, 0b111_101_101), $"mkdir '{path}'", path);
        }

        /// <summary>Makes something at path with make; whatever was there (never followed) goes first.</summary>
        private void Create(string path, Func<string, int> make, string what)
        {
            if (make(path) == 0)
                return;
            if (Marshal.GetLastPInvokeError() != Libc.EEXIST)
                Libc.Check(-1, $"{what} '{path}'", path);
            RemoveExisting(path);
            Libc.Check(make(path), $"{what} '{path}'", path);
        }

        /// <summary>
        /// An entry replaces whatever has its name; in a layer, a directory replaced by a
        /// non-directory goes entirely, while a copy refuses to replace either by the other.
        /// </summary>
        private void RemoveExisting(string path, bool forDirectory = false)
        {
            var kind = FileStatus.KindOf(path);
            var isDirectory = kind == FileStatus.Kind.Directory;
            if (copying && isDirectory != forDirectory)
                throw Errors.Errors.InvalidArgument("CannotOverwrite",
                    $"'{Path.GetRelativePath(root, path)}' is {(isDirectory ? "a directory" : "not a directory")}: " +
                    $"it cannot be replaced by {(forDirectory ? "a directory" : "a file")}.", path);
            if (isDirectory)
            {
                Directory.Delete(path, recursive: true);
                var relative = Path.GetRelativePath(root, path);
                directories.RemoveWhere(d => d == relative || d.StartsWith(relative + "/", StringComparison.Ordinal));
            }
            else
                Libc.Unlink(path);
        }

        private static void SetXattr(string path, string name, byte[] value, bool required)
        {
            // trusted.* and security.* need root; a user.* attribute the file system refuses is not fatal
            if (Libc.Lsetxattr(path, name, value, (nuint)value.Length, 0) != 0 && required)
                Libc.Check(-1, $"set {name} on '{path}'", path);
        }
    }
}
