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

    /// <summary>
    /// Unpacks tar (uncompressed) into target, which must exist and be empty; owners, when
    /// given, maps each entry's uid:gid to the owner it gets (an id-shifted copy for a user namespace).
    /// </summary>
    public static void Unpack(Stream tar, string target, Action<long>? bytesRead = null, OwnerMap? owners = null) =>
        new Unpacking(Path.GetFullPath(target).TrimEnd('/'), copying: false, makeDevices: true, owners).Run(tar, bytesRead);

    /// <summary>
    /// Copies what tar holds into target, a directory with files in it already: a file
    /// replaces a file (whole: written aside, then renamed over it), directories merge, ".wh."
    /// names are only names; a directory is never replaced by a file (nor a file by a
    /// directory), as docker cp refuses it, and a device node, FIFO or socket is never
    /// replaced at all. Without makeDevices, device nodes in tar are not made (a copy onto
    /// the host must not hand its users the devices a container named). A copy that fails,
    /// here or in whenUnpacked (the producer's end), removes what it made.
    /// </summary>
    public static void CopyInto(Stream tar, string target, bool makeDevices, Action? whenUnpacked = null, OwnerMap? owners = null)
    {
        var copy = new Unpacking(Path.GetFullPath(target).TrimEnd('/'), copying: true, makeDevices, owners);
        try
        {
            copy.Run(tar, null);
            whenUnpacked?.Invoke();
        }
        catch
        {
            copy.RemoveMade();
            throw;
        }
    }

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

    private sealed class Unpacking(string root, bool copying, bool makeDevices, OwnerMap? owners)
    {
        // relative directories known to be real directories (made or checked here)
        private readonly HashSet<string> directories = [""];
        // a copy's own: what it made where nothing was (the topmost of each tree), and the directories it made
        private readonly List<string> made = [];
        private readonly HashSet<string> madeDirectories = [];
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
                        if (MakeDirectory(path))
                            Made(relative, path, directory: true);
                        directories.Add(relative);
                    }
                    directoryEntries.Add((path, entry));
                    return;
                case TarEntryKind.File:
                    if (WriteFile(path, entry, reader))
                        Made(relative, path, directory: false);
                    return;
                case TarEntryKind.SymbolicLink:
                    // the target is only text here; the container resolves it inside its own root
                    if (Create(path, p => Libc.Symlink(entry.LinkName, p), "symlink"))
                        Made(relative, path, directory: false);
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
                    if (Create(path, p => Libc.Link(linked, p), "hard link"))
                        Made(relative, path, directory: false);
                    return;
                case TarEntryKind.CharacterDevice or TarEntryKind.BlockDevice when !makeDevices:
                    return;
                case TarEntryKind.CharacterDevice or TarEntryKind.BlockDevice or TarEntryKind.Fifo:
                    var kind = entry.Kind switch
                    {
                        TarEntryKind.CharacterDevice => Libc.S_IFCHR,
                        TarEntryKind.BlockDevice => Libc.S_IFBLK,
                        _ => Libc.S_IFIFO,
                    };
                    var device = Libc.MakeDevice(entry.DeviceMajor, entry.DeviceMinor);
                    if (Create(path, p => Libc.Mknod(p, kind | entry.Mode, device), "mknod"))
                        Made(relative, path, directory: false);
                    SetPathMetadata(path, entry, isSymlink: false);
                    return;
                default:
                    return; // volume labels and the like: nothing to write
            }
        }

        /// <summary>Writes the file at path; true when nothing was there before.</summary>
        private bool WriteFile(string path, TarHeader entry, TarArchiveReader reader)
        {
            var flags = Libc.O_WRONLY | Libc.O_CREAT | Libc.O_EXCL | Libc.O_NOFOLLOW | Libc.O_CLOEXEC;
            var writing = path;
            var fd = Libc.Open(writing, flags, 0b110_000_000);
            var replacing = fd < 0 && Marshal.GetLastPInvokeError() == Libc.EEXIST;
            if (replacing && copying)
            {
                // written aside and renamed over what is there (a link itself, never its target): a failed write leaves it as it was
                RefuseToReplace(path, forDirectory: false);
                writing = Path.Combine(Path.GetDirectoryName(path)!, $".copy-{Guid.NewGuid():N}");
                fd = Libc.Open(writing, flags, 0b110_000_000);
            }
            else if (replacing)
            {
                // a later entry replaces an earlier one: remove it (a link itself, never its target)
                RemoveExisting(path);
                fd = Libc.Open(path, flags, 0b110_000_000);
            }
            Libc.Check(fd < 0 ? -1 : 0, $"create '{path}'", path);
            var complete = false;
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
                var (uid, gid) = Owner(entry);
                Libc.Check(Libc.Fchown(fd, uid, gid), $"chown '{path}'", path);
                foreach (var (name, value) in entry.Xattrs)
                    Libc.Fsetxattr(fd, name, value, (nuint)value.Length, 0);
                // after chown, which clears set-id bits
                Libc.Check(Libc.Fchmod(fd, entry.Mode), $"chmod '{path}'", path);
                var time = Time(entry);
                Libc.Futimens(fd, [time, time]);
                complete = true;
            }
            finally
            {
                Libc.Close(fd);
                if (writing != path)
                {
                    if (complete)
                        File.Move(writing, path, overwrite: true);
                    else
                        Libc.Unlink(writing);
                }
            }
            return !replacing;
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

        private (uint Uid, uint Gid) Owner(TarHeader entry) => owners?.Invoke(entry.Uid, entry.Gid) ?? (entry.Uid, entry.Gid);

        private void SetPathMetadata(string path, TarHeader entry, bool isSymlink)
        {
            var (uid, gid) = Owner(entry);
            Libc.Check(Libc.Lchown(path, uid, gid), $"chown '{path}'", path);
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
                case FileStatus.Kind.RegularFile or FileStatus.Kind.Special:
                    RemoveExisting(path, forDirectory: true);
                    MakeDirectory(path);
                    break;
                default:
                    if (MakeDirectory(path))
                        Made(relative, path, directory: true);
                    break;
            }
            directories.Add(relative);
        }

        /// <summary>Makes a directory at path; true when nothing was there before.</summary>
        private bool MakeDirectory(string path)
        {
            if (Libc.Mkdir(path, 0b111_101_101) == 0)
                return true;
            if (Marshal.GetLastPInvokeError() != Libc.EEXIST)
                Libc.Check(-1, $"mkdir '{path}'", path);
            if (FileStatus.KindOf(path) == FileStatus.Kind.Directory)
                return false;
            RemoveExisting(path, forDirectory: true);
            Libc.Check(Libc.Mkdir(path, 0b111_101_101), $"mkdir '{path}'", path);
            return false;
        }

        /// <summary>Makes something at path with make; whatever was there (never followed) goes first. True when nothing was.</summary>
        private bool Create(string path, Func<string, int> make, string what)
        {
            if (make(path) == 0)
                return true;
            if (Marshal.GetLastPInvokeError() != Libc.EEXIST)
                Libc.Check(-1, $"{what} '{path}'", path);
            RemoveExisting(path);
            Libc.Check(make(path), $"{what} '{path}'", path);
            return false;
        }

        /// <summary>A copy's record of what it made; only the topmost of a tree it made is kept, the rest goes with it.</summary>
        private void Made(string relative, string path, bool directory)
        {
            if (!copying)
                return;
            var slash = relative.LastIndexOf('/');
            if (!madeDirectories.Contains(slash < 0 ? "" : relative[..slash]))
                made.Add(path);
            if (directory)
                madeDirectories.Add(relative);
        }

        /// <summary>After a failed copy: what it made goes, last made first (never followed: a link goes, not its target).</summary>
        public void RemoveMade()
        {
            foreach (var path in Enumerable.Reverse(made))
            {
                try
                {
                    if (FileStatus.KindOf(path) == FileStatus.Kind.Directory)
                        Directory.Delete(path, recursive: true);
                    else
                        Libc.Unlink(path);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // the copy's own error is the one to report
                }
            }
        }

        /// <summary>
        /// What a copy never replaces: a device node, FIFO or socket at all (the host's /dev/sda
        /// is not a file to overwrite), a directory by a file, nor a file by a directory.
        /// </summary>
        private void RefuseToReplace(string path, bool forDirectory)
        {
            var kind = FileStatus.KindOf(path);
            var relative = Path.GetRelativePath(root, path);
            if (kind == FileStatus.Kind.Special)
                throw Errors.Errors.InvalidArgument("CannotOverwrite",
                    $"'{relative}' is a device node, FIFO or socket: a copy never replaces one.", path);
            var isDirectory = kind == FileStatus.Kind.Directory;
            if (isDirectory != forDirectory)
                throw Errors.Errors.InvalidArgument("CannotOverwrite",
                    $"'{relative}' is {(isDirectory ? "a directory" : "not a directory")}: " +
                    $"it cannot be replaced by {(forDirectory ? "a directory" : "a file")}.", path);
        }

        /// <summary>
        /// An entry replaces whatever has its name; in a layer, a directory replaced by a
        /// non-directory goes entirely, while a copy refuses what <see cref="RefuseToReplace"/> says.
        /// </summary>
        private void RemoveExisting(string path, bool forDirectory = false)
        {
            if (copying)
                RefuseToReplace(path, forDirectory);
            var isDirectory = FileStatus.KindOf(path) == FileStatus.Kind.Directory;
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
