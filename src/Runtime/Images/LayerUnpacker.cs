using System.Runtime.InteropServices;
using Container.Runtime.Images.Tar;
using Container.Runtime.Linux;

namespace Container.Runtime.Images;

/// <summary>
/// Unpacks a layer tarball into a directory that becomes an overlay lower dir, or files
/// copied into a container (docker cp). Safe by construction: every entry lands inside the target (no <c>..</c>, no absolute
/// names, no symlinked parent, no hard link leaving the layer), nothing is followed while
/// unpacking (files are made with O_EXCL|O_NOFOLLOW, then set up through their fd), and
/// OCI whiteouts become overlay whiteouts. Sparse files (GNU's and PAX's) become the files
/// they were, their holes holes. Fast: parents are checked once, and a file costs an open,
/// its writes, an fchown, fchmod, futimens and close. A tar that cannot be read is InvalidLayer.
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
        Errors.Errors.InvalidLayer($"Layer entry '{name}' {why}.", name);

    private sealed class Unpacking(string root, bool copying)
    {
        // relative directories known to be real directories (made or checked here)
        private readonly HashSet<string> directories = [""];
        // their metadata goes last: making their children changes their times
        private readonly List<(string Path, TarHeader Entry)> directoryEntries = [];
        private readonly byte[] buffer = new byte[1 << 17];

        public void Run(Stream tar, Action<long>? bytesRead)
        {
            try
            {
                Unpack(new TarArchiveReader(tar), bytesRead);
            }
            catch (InvalidDataException e)
            {
                // a damaged tar, or a damaged gzip stream under it
                throw Errors.Errors.InvalidLayer($"The layer cannot be read: {e.Message}", null, e);
            }
        }

        private void Unpack(TarArchiveReader reader, Action<long>? bytesRead)
        {
            while (reader.Next() is { } entry)
            {
                var relative = SafeRelativePath(entry.Name);
                if (relative.Length == 0)
                {
                    if (entry.Kind == TarEntryKind.Directory)
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
                    Write(relative, path, entry, reader);
                else if (name == OpaqueWhiteout)
                    SetXattr(parent, "trusted.overlay.opaque", "y"u8.ToArray(), required: true);
                else if (name.StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
                    Create(Path.Combine(parent, name[WhiteoutPrefix.Length..]),
                        p => Libc.Mknod(p, Libc.S_IFCHR, Libc.MakeDevice(0, 0)), "make whiteout");
                else
                    Write(relative, path, entry, reader);
                bytesRead?.Invoke(entry.Size);
            }
            foreach (var (path, entry) in Enumerable.Reverse(directoryEntries))
                SetPathMetadata(path, entry, isSymlink: false);
        }

        private void Write(string relative, string path, TarHeader entry, TarArchiveReader reader)
        {
            switch (entry.Kind)
            {
                case TarEntryKind.Directory:
                    if (!directories.Contains(relative))
                    {
                        MakeDirectory(path);
                        directories.Add(relative);
                    }
                    directoryEntries.Add((path, entry));
                    return;
                case TarEntryKind.File:
                    WriteFile(path, entry, reader);
                    return;
                case TarEntryKind.SymbolicLink:
                    // the target is only text here; the container resolves it inside its own root
                    Create(path, p => Libc.Symlink(entry.LinkName, p), "symlink");
                    SetPathMetadata(path, entry, isSymlink: true);
                    return;
                case TarEntryKind.HardLink:
                    var linkedRelative = SafeRelativePath(entry.LinkName);
                    var linkSlash = linkedRelative.LastIndexOf('/');
                    EnsureDirectory(linkSlash < 0 ? "" : linkedRelative[..linkSlash], entry.LinkName);
                    var linked = Path.Combine(root, linkedRelative);
                    if (FileStatus.KindOf(linked) is FileStatus.Kind.Missing or FileStatus.Kind.Directory)
                        throw Refused(entry.Name, $"is a hard link to '{entry.LinkName}', which is not a file in the layer");
                    // shares the inode: its metadata was set by the original
                    Create(path, p => Libc.Link(linked, p), "hard link");
                    return;
                case TarEntryKind.CharacterDevice or TarEntryKind.BlockDevice or TarEntryKind.Fifo:
                    var kind = entry.Kind switch
                    {
                        TarEntryKind.CharacterDevice => Libc.S_IFCHR,
                        TarEntryKind.BlockDevice => Libc.S_IFBLK,
                        _ => Libc.S_IFIFO,
                    };
                    var device = Libc.MakeDevice(entry.DeviceMajor, entry.DeviceMinor);
                    Create(path, p => Libc.Mknod(p, kind | entry.Mode, device), "mknod");
                    SetPathMetadata(path, entry, isSymlink: false);
                    return;
                default:
                    return; // volume labels and the like: nothing to write
            }
        }

        private void WriteFile(string path, TarHeader entry, TarArchiveReader reader)
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
                if (entry.Sparse is { } regions)
                {
                    // each region's data where it belongs; what lies between stays a hole
                    foreach (var region in regions)
                    {
                        Libc.Check(Libc.Lseek(fd, region.Offset, Libc.SEEK_SET) < 0 ? -1 : 0, $"seek in '{path}'", path);
                        CopyData(reader, fd, region.Length, path);
                    }
                    Libc.Check(Libc.Ftruncate(fd, entry.Size), $"truncate '{path}'", path);
                }
                else
                    CopyData(reader, fd, entry.DataLength, path);
                Libc.Check(Libc.Fchown(fd, entry.Uid, entry.Gid), $"chown '{path}'", path);
                foreach (var (name, value) in entry.Xattrs)
                    Libc.Fsetxattr(fd, name, value, (nuint)value.Length, 0);
                // after chown, which clears set-id bits
                Libc.Check(Libc.Fchmod(fd, entry.Mode), $"chmod '{path}'", path);
                var time = Time(entry);
                Libc.Futimens(fd, [time, time]);
            }
            finally
            {
                Libc.Close(fd);
            }
        }

        private unsafe void CopyData(TarArchiveReader reader, int fd, long length, string path)
        {
            while (length > 0)
            {
                var n = reader.ReadData(buffer.AsSpan(0, (int)Math.Min(buffer.Length, length)));
                length -= n;
                fixed (byte* p = buffer)
                    for (var written = 0; written < n;)
                    {
                        var w = Libc.Write(fd, p + written, (nuint)(n - written));
                        Libc.Check(w < 0 ? -1 : 0, $"write '{path}'", path);
                        written += (int)w;
                    }
            }
        }

        private static void SetPathMetadata(string path, TarHeader entry, bool isSymlink)
        {
            Libc.Check(Libc.Lchown(path, entry.Uid, entry.Gid), $"chown '{path}'", path);
            foreach (var (name, value) in entry.Xattrs)
                SetXattr(path, name, value, required: false);
            if (!isSymlink)
                Libc.Check(Libc.Chmod(path, entry.Mode), $"chmod '{path}'", path);
            var time = Time(entry);
            Libc.Utimensat(Libc.AT_FDCWD, path, [time, time], Libc.AT_SYMLINK_NOFOLLOW);
        }

        private static Libc.Timespec Time(TarHeader entry) => new() { Seconds = entry.ModifiedSeconds, Nanoseconds = entry.ModifiedNanoseconds };

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
