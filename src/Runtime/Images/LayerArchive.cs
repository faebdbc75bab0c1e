using System.Formats.Tar;
using System.Runtime.InteropServices;
using System.Text;
using Container.Runtime.Linux;

namespace Container.Runtime.Images;

/// <summary>
/// A directory as a layer tarball: PAX entries in a stable order, with owners, modes, times,
/// extended attributes (those whose values are text: TarWriter's records are strings) and
/// links, a file's second name as a hard link to its first. From an overlay upper dir, whiteouts (0:0 devices) become .wh. files and
/// opaque directories get .wh..wh..opq, as the OCI image spec writes deletions. Nothing is
/// followed: each name is opened once, without following a link, and all that is written
/// of it (its kind, metadata, content, entries) comes through that descriptor, so a link
/// is written as a link even when it takes a file's place mid-way.
/// </summary>
internal sealed class LayerArchive
{
    private const string OpaqueMarker = ".wh..wh..opq";
    private const string XattrPrefix = "SCHILY.xattr.";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly TarWriter writer;
    private readonly bool fromOverlayUpper;
    private readonly OwnerMap? owners;

    /// <summary>The first entry of each file with more than one name, by the file's identity.</summary>
    private readonly Dictionary<(uint, uint, ulong), string> firstNames = [];

    private LayerArchive(TarWriter writer, bool fromOverlayUpper, OwnerMap? owners) =>
        (this.writer, this.fromOverlayUpper, this.owners) = (writer, fromOverlayUpper, owners);

    /// <param name="owners">Maps each file's owner to the one its entry names (a user namespace's files, unshifted); null keeps them.</param>
    public static void Write(string directory, Stream output, bool fromOverlayUpper = false, OwnerMap? owners = null)
    {
        using var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        // the directory named is followed, as any path a user gives; nothing under it is
        var fd = Libc.Open(directory, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0);
        Libc.Check(fd < 0 ? -1 : 0, $"open '{directory}'", directory);
        try
        {
            new LayerArchive(writer, fromOverlayUpper, owners).WriteDirectory(fd, "");
        }
        finally
        {
            Libc.Close(fd);
        }
    }

    /// <summary>
    /// What is at path (a file, a link, or a directory with all below it), its entries named
    /// from name down; a link is written as a link, never followed. A directory's path may be
    /// a descriptor's "/proc/self/fd/N/.": its entry comes from the directory itself, never
    /// from that link (which would become a link to wherever the descriptor's path reads).
    /// </summary>
    public static void WriteTree(string path, string name, Stream output, OwnerMap? owners = null)
    {
        using var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        var parent = Path.GetDirectoryName(path.TrimEnd('/')) is { Length: > 0 } p ? p : "/";
        var fd = Libc.Open(parent, Libc.O_PATH | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0);
        Libc.Check(fd < 0 ? -1 : 0, $"open '{parent}'", parent);
        try
        {
            new LayerArchive(writer, fromOverlayUpper: false, owners).WriteEntry(fd, Path.GetFileName(path.TrimEnd('/')), name);
        }
        finally
        {
            Libc.Close(fd);
        }
    }

    private void WriteDirectory(int directory, string prefix)
    {
        // a running container's /proc, /sys and the like: the mount point, not the kernel's files (as docker cp leaves them out)
        if (FileStatus.IsKernelFileSystem(DescriptorPath(directory)))
            return;
        if (fromOverlayUpper && prefix.Length > 0 && FileStatus.GetXattr(directory, "trusted.overlay.opaque") is [(byte)'y'])
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, prefix + OpaqueMarker));
        // the descriptor's own path: the names listed are this directory's, whatever is renamed meanwhile
        var names = Directory.EnumerateFileSystemEntries(DescriptorPath(directory)).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        foreach (var name in names)
            WriteEntry(directory, name!, prefix + name);
    }

    /// <summary>Writes what name in directory is, as entry (and, for a directory, all below it).</summary>
    private void WriteEntry(int directory, string name, string entry)
    {
        var fd = Libc.Openat(directory, name, Libc.O_PATH | Libc.O_NOFOLLOW | Libc.O_CLOEXEC, 0);
        if (fd < 0 && Marshal.GetLastPInvokeError() == Libc.ENOENT)
            return; // removed since the directory was listed
        Libc.Check(fd < 0 ? -1 : 0, $"open '{entry}'", entry);
        try
        {
            var metadata = FileStatus.Of(fd) ?? throw Errors.Errors.SystemCall($"stat '{entry}'", Marshal.GetLastPInvokeError(), entry);
            var (uid, gid) = owners?.Invoke(metadata.Uid, metadata.Gid) ?? (metadata.Uid, metadata.Gid);
            if (fromOverlayUpper && metadata is { Type: Libc.S_IFCHR, DeviceMajor: 0, DeviceMinor: 0 })
            {
                var slash = entry.LastIndexOf('/');
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, entry[..(slash + 1)] + ".wh." + name));
                return;
            }
            var type = metadata.Type switch
            {
                Libc.S_IFREG => TarEntryType.RegularFile,
                Libc.S_IFDIR => TarEntryType.Directory,
                Libc.S_IFLNK => TarEntryType.SymbolicLink,
                Libc.S_IFCHR => TarEntryType.CharacterDevice,
                Libc.S_IFBLK => TarEntryType.BlockDevice,
                Libc.S_IFIFO => TarEntryType.Fifo,
                _ => (TarEntryType?)null, // a socket: a tar has no place for one, and docker leaves them out
            };
            if (type is not { } kind)
                return;
            if (kind == TarEntryType.RegularFile && metadata.Links > 1)
            {
                if (firstNames.TryGetValue(metadata.Identity, out var first))
                {
                    writer.WriteEntry(new PaxTarEntry(TarEntryType.HardLink, entry) { LinkName = first, Uid = (int)uid, Gid = (int)gid, Mode = (UnixFileMode)(metadata.Mode & 0xFFF) });
                    return;
                }
                firstNames[metadata.Identity] = entry;
            }
            var xattrs = kind is TarEntryType.RegularFile or TarEntryType.Directory ? TextXattrs(DescriptorPath(fd)) : [];
            var tarEntry = new PaxTarEntry(kind, kind == TarEntryType.Directory ? entry + "/" : entry, xattrs)
            {
                Mode = (UnixFileMode)(metadata.Mode & 0xFFF),
                Uid = (int)uid,
                Gid = (int)gid,
                ModificationTime = DateTimeOffset.FromUnixTimeSeconds(metadata.ModifiedSeconds).AddTicks(metadata.ModifiedNanoseconds / 100),
            };
            if (kind is TarEntryType.CharacterDevice or TarEntryType.BlockDevice)
                (tarEntry.DeviceMajor, tarEntry.DeviceMinor) = ((int)metadata.DeviceMajor, (int)metadata.DeviceMinor);
            switch (kind)
            {
                case TarEntryType.SymbolicLink:
                    tarEntry.LinkName = ReadLink(fd, entry);
                    writer.WriteEntry(tarEntry);
                    break;
                case TarEntryType.RegularFile:
                    // reopening the descriptor's path opens this very file
                    using (var content = new FileStream(DescriptorPath(fd), FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16))
                    {
                        tarEntry.DataStream = content;
                        writer.WriteEntry(tarEntry);
                    }
                    break;
                case TarEntryType.Directory:
                    writer.WriteEntry(tarEntry);
                    var listed = Libc.Open(DescriptorPath(fd), Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0);
                    Libc.Check(listed < 0 ? -1 : 0, $"open '{entry}'", entry);
                    try
                    {
                        WriteDirectory(listed, entry + "/");
                    }
                    finally
                    {
                        Libc.Close(listed);
                    }
                    break;
                default:
                    writer.WriteEntry(tarEntry);
                    break;
            }
        }
        finally
        {
            Libc.Close(fd);
        }
    }

    private static string DescriptorPath(int fd) => $"/proc/self/fd/{fd}";

    /// <summary>The file's extended attributes as PAX records, but overlayfs's own and those whose values are not text.</summary>
    private static Dictionary<string, string> TextXattrs(string path)
    {
        var records = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in FileStatus.Xattrs(path))
        {
            if (name.StartsWith("trusted.overlay.", StringComparison.Ordinal))
                continue;
            try
            {
                records[XattrPrefix + name] = StrictUtf8.GetString(value);
            }
            catch (DecoderFallbackException)
            {
                // binary (a file capability, an ACL): a string record would change it
            }
        }
        return records;
    }

    private static string ReadLink(int fd, string entry)
    {
        var buffer = new byte[4096];
        var n = Libc.Readlinkat(fd, "", buffer, (nuint)buffer.Length);
        Libc.Check(n < 0 ? -1 : 0, $"read the link '{entry}'", entry);
        return Encoding.UTF8.GetString(buffer, 0, (int)n);
    }
}
