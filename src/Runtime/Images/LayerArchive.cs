using System.Runtime.InteropServices;
using System.Text;
using Container.Runtime.Images.Tar;
using Container.Runtime.Linux;

namespace Container.Runtime.Images;

/// <summary>
/// A directory as a layer tarball: PAX entries in a stable order, with owners, modes, times,
/// extended attributes (binary ones as their bytes) and links, a file's second name as a hard
/// link to its first. From an overlay upper dir, whiteouts (0:0 devices) become .wh. files and
/// opaque directories get .wh..wh..opq, as the OCI image spec writes deletions. Nothing is
/// followed: each name is opened once, without following a link, and all that is written
/// of it (its kind, metadata, content, entries) comes through that descriptor, so a link
/// is written as a link even when it takes a file's place mid-way.
/// </summary>
internal sealed class LayerArchive
{
    private const string OpaqueMarker = ".wh..wh..opq";

    private readonly TarArchiveWriter writer;
    private readonly bool fromOverlayUpper;
    private readonly OwnerMap? owners;
    private readonly ArchiveSelection? selection;

    /// <summary>The first entry of each file with more than one name, by the file's identity.</summary>
    private readonly Dictionary<(uint, uint, ulong), string> firstNames = [];

    private LayerArchive(TarArchiveWriter writer, bool fromOverlayUpper, OwnerMap? owners, ArchiveSelection? selection = null) =>
        (this.writer, this.fromOverlayUpper, this.owners, this.selection) = (writer, fromOverlayUpper, owners, selection);

    /// <param name="owners">Maps each file's owner to the one its entry names (a user namespace's files, unshifted); null keeps them.</param>
    public static void Write(string directory, Stream output, bool fromOverlayUpper = false, OwnerMap? owners = null) =>
        Write(directory, output, selection: null, fromOverlayUpper, owners);

    /// <summary>The same, of the entries selection takes (a build's COPY: what .dockerignore leaves), with its mode if it sets one.</summary>
    public static void Write(string directory, Stream output, ArchiveSelection? selection, bool fromOverlayUpper = false, OwnerMap? owners = null)
    {
        using var writer = new TarArchiveWriter(output);
        // the directory named is followed, as any path a user gives; nothing under it is
        var fd = Libc.Open(directory, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0);
        Libc.Check(fd < 0 ? -1 : 0, $"open '{directory}'", directory);
        try
        {
            new LayerArchive(writer, fromOverlayUpper, owners, selection).WriteDirectory(fd, "");
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
    public static void WriteTree(string path, string name, Stream output, OwnerMap? owners = null, ArchiveSelection? selection = null)
    {
        using var writer = new TarArchiveWriter(output);
        var parent = Path.GetDirectoryName(path.TrimEnd('/')) is { Length: > 0 } p ? p : "/";
        var fd = Libc.Open(parent, Libc.O_PATH | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0);
        Libc.Check(fd < 0 ? -1 : 0, $"open '{parent}'", parent);
        try
        {
            new LayerArchive(writer, fromOverlayUpper: false, owners, selection).WriteEntry(fd, Path.GetFileName(path.TrimEnd('/')), name);
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
            writer.Write(Marker(prefix + OpaqueMarker));
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
                writer.Write(Marker(entry[..(slash + 1)] + ".wh." + name));
                return;
            }
            TarEntryKind? type = metadata.Type switch
            {
                Libc.S_IFREG => TarEntryKind.File,
                Libc.S_IFDIR => TarEntryKind.Directory,
                Libc.S_IFLNK => TarEntryKind.SymbolicLink,
                Libc.S_IFCHR => TarEntryKind.CharacterDevice,
                Libc.S_IFBLK => TarEntryKind.BlockDevice,
                Libc.S_IFIFO => TarEntryKind.Fifo,
                _ => null, // a socket: a tar has no place for one, and docker leaves them out
            };
            if (type is not { } kind || selection?.Include(entry, kind == TarEntryKind.Directory) == false)
                return;
            if (kind == TarEntryKind.File && metadata.Links > 1)
            {
                if (firstNames.TryGetValue(metadata.Identity, out var first))
                {
                    writer.Write(new TarHeader { Name = entry, Kind = TarEntryKind.HardLink, LinkName = first, Uid = uid, Gid = gid, Mode = metadata.Mode & 0xFFF });
                    return;
                }
                firstNames[metadata.Identity] = entry;
            }
            // reopening the descriptor's path opens this very file
            var content = kind == TarEntryKind.File ? Libc.Open(DescriptorPath(fd), Libc.O_RDONLY | Libc.O_CLOEXEC, 0) : -1;
            if (kind == TarEntryKind.File)
                Libc.Check(content < 0 ? -1 : 0, $"open '{entry}'", entry);
            try
            {
                WriteHeaderAndContent(fd, entry, kind, metadata with { Uid = uid, Gid = gid, Mode = selection?.Mode ?? metadata.Mode }, content);
            }
            finally
            {
                if (content >= 0)
                    Libc.Close(content);
            }
            if (kind != TarEntryKind.Directory)
                return;
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
        }
        finally
        {
            Libc.Close(fd);
        }
    }

    /// <summary>The entry's header from its metadata, and a file's content from its descriptor (the size it was stat'd with: a file that grows or shrinks meanwhile keeps it).</summary>
    private void WriteHeaderAndContent(int fd, string entry, TarEntryKind kind, FileStatus.Metadata metadata, int content)
    {
        var device = kind is TarEntryKind.CharacterDevice or TarEntryKind.BlockDevice;
        writer.Write(new TarHeader
        {
            Name = kind == TarEntryKind.Directory ? entry + "/" : entry,
            Kind = kind,
            Mode = metadata.Mode & 0xFFF,
            Uid = metadata.Uid,
            Gid = metadata.Gid,
            ModifiedSeconds = metadata.ModifiedSeconds,
            DeviceMajor = device ? metadata.DeviceMajor : 0,
            DeviceMinor = device ? metadata.DeviceMinor : 0,
            LinkName = kind == TarEntryKind.SymbolicLink ? ReadLink(fd, entry) : "",
            Size = kind == TarEntryKind.File ? metadata.Size : 0,
            Xattrs = kind is TarEntryKind.File or TarEntryKind.Directory ? Xattrs(DescriptorPath(fd)) : [],
        }, content);
    }

    private static string DescriptorPath(int fd) => $"/proc/self/fd/{fd}";

    /// <summary>An empty file that marks a deletion or an opaque directory.</summary>
    private static TarHeader Marker(string name) => new() { Name = name, Kind = TarEntryKind.File, Mode = 0b110_100_100 };

    /// <summary>The file's extended attributes, but overlayfs's own, by name.</summary>
    private static List<(string Name, byte[] Value)> Xattrs(string path) =>
        FileStatus.Xattrs(path).Where(x => !x.Name.StartsWith("trusted.overlay.", StringComparison.Ordinal)).OrderBy(x => x.Name, StringComparer.Ordinal).ToList();

    private static string ReadLink(int fd, string entry)
    {
        var buffer = new byte[4096];
        var n = Libc.Readlinkat(fd, "", buffer, (nuint)buffer.Length);
        Libc.Check(n < 0 ? -1 : 0, $"read the link '{entry}'", entry);
        return Encoding.UTF8.GetString(buffer, 0, (int)n);
    }
}

/// <summary>
/// Which entries an archive takes, by their names (relative to what is written; a directory
/// not taken is not descended), and the mode every entry gets, if not its own (COPY --chmod).
/// </summary>
internal sealed record ArchiveSelection(Func<string, bool, bool> Include, uint? Mode = null);
