using System.Formats.Tar;
using System.Text;
using Container.Runtime.Linux;

namespace Container.Runtime.Images;

/// <summary>
/// Unpacks a layer tarball into a directory that becomes an overlay lower dir.
/// Safe by construction: every entry lands inside the target (no <c>..</c>, no
/// absolute names, no symlinked parent, no hard link leaving the layer), nothing is
/// followed while unpacking, and OCI whiteouts become overlay whiteouts.
/// </summary>
public static class LayerUnpacker
{
    private const string WhiteoutPrefix = ".wh.";
    private const string OpaqueWhiteout = ".wh..wh..opq";

    /// <summary>Unpacks tar (uncompressed) into target, which must exist and be empty.</summary>
    public static void Unpack(Stream tar, string target, Action<long>? bytesRead = null)
    {
        var root = Path.GetFullPath(target).TrimEnd('/');
        // directories get their times and modes last: creating their children changes them
        var directories = new List<(string Path, TarEntry Entry)>();
        using var reader = new TarReader(tar, leaveOpen: true);
        TarEntry? entry;
        while ((entry = reader.GetNextEntry(copyData: false)) != null)
        {
            var relative = SafeRelativePath(entry.Name);
            if (relative.Length == 0)
            {
                if (entry.EntryType == TarEntryType.Directory)
                    directories.Add((root, entry));
                continue;
            }
            var name = System.IO.Path.GetFileName(relative);
            var parent = EnsureParents(root, relative);
            var path = System.IO.Path.Combine(parent, name);
            if (name == OpaqueWhiteout)
            {
                SetXattr(parent, "trusted.overlay.opaque", "y"u8.ToArray());
                continue;
            }
            if (name.StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
            {
                var hidden = System.IO.Path.Combine(parent, name[WhiteoutPrefix.Length..]);
                RemoveExisting(hidden);
                Libc.Check(Libc.Mknod(hidden, Libc.S_IFCHR | 0, Libc.MakeDevice(0, 0)), $"make whiteout '{hidden}'", hidden);
                continue;
            }
            Write(root, entry, path, directories);
            bytesRead?.Invoke(entry.Length);
        }
        foreach (var (dir, dirEntry) in Enumerable.Reverse(directories))
            ApplyMetadata(dir, dirEntry, isSymlink: false);
    }

    private static void Write(string root, TarEntry entry, string path, List<(string, TarEntry)> directories)
    {
        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                if (Directory.Exists(path) && !IsSymlink(path))
                {
                    directories.Add((path, entry));
                    return;
                }
                RemoveExisting(path);
                Directory.CreateDirectory(path);
                directories.Add((path, entry));
                return;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                RemoveExisting(path);
                using (var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
                    entry.DataStream?.CopyTo(output);
                break;
            case TarEntryType.SymbolicLink:
                // the target is only text here; the container resolves it inside its own root
                RemoveExisting(path);
                File.CreateSymbolicLink(path, entry.LinkName);
                break;
            case TarEntryType.HardLink:
                var linked = System.IO.Path.Combine(root, SafeRelativePath(entry.LinkName));
                EnsureParents(root, SafeRelativePath(entry.LinkName));
                if (!File.Exists(linked) && !IsSymlink(linked))
                    throw Errors.Errors.InvalidArgument("InvalidLayer", $"Hard link '{entry.Name}' points to '{entry.LinkName}', which is not in the layer.", entry.Name);
                RemoveExisting(path);
                Libc.Check(Libc.Link(linked, path), $"hard link '{path}'", path);
                return; // shares the inode: metadata was set by the original
            case TarEntryType.CharacterDevice or TarEntryType.BlockDevice or TarEntryType.Fifo:
                RemoveExisting(path);
                var kind = entry.EntryType switch
                {
                    TarEntryType.CharacterDevice => Libc.S_IFCHR,
                    TarEntryType.BlockDevice => Libc.S_IFBLK,
                    _ => Libc.S_IFIFO,
                };
                var device = entry is PosixTarEntry posix ? Libc.MakeDevice((uint)posix.DeviceMajor, (uint)posix.DeviceMinor) : 0;
                Libc.Check(Libc.Mknod(path, kind | (uint)entry.Mode, device), $"mknod '{path}'", path);
                break;
            default:
                return; // global PAX headers, GNU long names (already applied by the reader), sparse: nothing to write
        }
        ApplyMetadata(path, entry, entry.EntryType == TarEntryType.SymbolicLink);
    }

    private static void ApplyMetadata(string path, TarEntry entry, bool isSymlink)
    {
        if (entry is PosixTarEntry posix)
            Libc.Check(Libc.Lchown(path, (uint)entry.Uid, (uint)entry.Gid), $"chown '{path}'", path);
        if (entry is PaxTarEntry pax)
            foreach (var (key, value) in pax.ExtendedAttributes)
                if (key.StartsWith("SCHILY.xattr.", StringComparison.Ordinal))
                    SetXattr(path, key["SCHILY.xattr.".Length..], Encoding.Latin1.GetBytes(value));
        if (!isSymlink)
            // after chown, which clears set-id bits
            Libc.Check(Libc.Chmod(path, (uint)entry.Mode), $"chmod '{path}'", path);
        var seconds = entry.ModificationTime.ToUnixTimeSeconds();
        var time = new Libc.Timespec { Seconds = seconds, Nanoseconds = (entry.ModificationTime.Ticks % TimeSpan.TicksPerSecond) * 100 };
        Libc.Utimensat(Libc.AT_FDCWD, path, [time, time], Libc.AT_SYMLINK_NOFOLLOW);
    }

    private static void SetXattr(string path, string name, byte[] value)
    {
        // trusted.* and security.* need root; a user.* attribute the file system refuses is not fatal
        if (Libc.Lsetxattr(path, name, value, (nuint)value.Length, 0) != 0 && name.StartsWith("trusted.overlay.", StringComparison.Ordinal))
            Libc.Check(-1, $"set {name} on '{path}'", path);
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
                    throw Errors.Errors.InvalidArgument("InvalidLayer", $"Layer entry '{name}' points outside the layer.", name);
                parts.RemoveAt(parts.Count - 1);
                continue;
            }
            if (part.Contains('\0'))
                throw Errors.Errors.InvalidArgument("InvalidLayer", $"Layer entry '{name}' has a NUL in its name.", name);
            parts.Add(part);
        }
        return string.Join('/', parts);
    }

    /// <summary>Creates the parents of relative under root; each must be a real directory, never a link.</summary>
    private static string EnsureParents(string root, string relative)
    {
        var current = root;
        var parts = relative.Split('/');
        for (var i = 0; i < parts.Length - 1; i++)
        {
            current = System.IO.Path.Combine(current, parts[i]);
            if (IsSymlink(current))
                throw Errors.Errors.InvalidArgument("InvalidLayer",
                    $"Layer entry '{relative}' goes through the symbolic link '{string.Join('/', parts[..(i + 1)])}'.", relative);
            if (!Directory.Exists(current))
            {
                if (File.Exists(current))
                    File.Delete(current);
                Directory.CreateDirectory(current);
            }
        }
        return current;
    }

    private static bool IsSymlink(string path)
    {
        try
        {
            return (File.GetAttributes(path) & FileAttributes.ReparsePoint) != 0;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>An entry replaces whatever has its name; a directory replaced by a non-directory goes entirely.</summary>
    private static void RemoveExisting(string path)
    {
        if (IsSymlink(path))
            File.Delete(path); // the link, never what it points to
        else if (Directory.Exists(path))
            Directory.Delete(path, recursive: true);
        else if (File.Exists(path))
            File.Delete(path);
    }
}
