using System.Formats.Tar;
using Container.Runtime.Linux;

namespace Container.Runtime.Images;

/// <summary>
/// A directory as a layer tarball: PAX entries in a stable order, with owners, modes, times
/// and links. From an overlay upper dir, whiteouts (0:0 devices) become .wh. files and
/// opaque directories get .wh..wh..opq, as the OCI image spec writes deletions.
/// </summary>
internal static class LayerArchive
{
    private const string OpaqueMarker = ".wh..wh..opq";

    public static void Write(string directory, Stream output, bool fromOverlayUpper = false)
    {
        var root = Path.GetFullPath(directory);
        using var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        WriteDirectory(writer, root, "", fromOverlayUpper);
    }

    /// <summary>
    /// What is at path (a file, a link, or a directory with all below it), its entries named
    /// from name down; a link is written as a link, never followed. A directory's path may be
    /// a descriptor's "/proc/self/fd/N/.": its entry comes from the directory itself, never
    /// from that link (which would become a link to wherever the descriptor's path reads).
    /// </summary>
    public static void WriteTree(string path, string name, Stream output)
    {
        using var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        if (FileStatus.KindOf(path) != FileStatus.Kind.Directory)
        {
            writer.WriteEntry(path, name);
            return;
        }
        var metadata = FileStatus.MetadataOf(path) ?? throw Errors.Errors.PathNotFound(path);
        writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, name + "/")
        {
            Mode = (UnixFileMode)metadata.Mode, Uid = (int)metadata.Uid, Gid = (int)metadata.Gid, ModificationTime = metadata.Modified,
        });
        WriteDirectory(writer, path, name + "/", fromOverlayUpper: false);
    }

    private static void WriteDirectory(TarWriter writer, string dir, string prefix, bool fromOverlayUpper)
    {
        // a running container's /proc, /sys and the like: the mount point, not the kernel's files (as docker cp leaves them out)
        if (FileStatus.IsKernelFileSystem(dir))
            return;
        if (fromOverlayUpper && prefix.Length > 0 && FileStatus.GetXattr(dir, "trusted.overlay.opaque") is [(byte)'y'])
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, prefix + OpaqueMarker));
        var entries = new DirectoryInfo(dir).EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var name = prefix + entry.Name;
            if (fromOverlayUpper && FileStatus.IsWhiteout(entry.FullName))
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, prefix + ".wh." + entry.Name));
                continue;
            }
            if (FileStatus.IsSocket(entry.FullName))
                continue; // no archive holds one; docker cp skips them too
            var isRealDirectory = entry is DirectoryInfo && entry.LinkTarget == null;
            // WriteEntry reads mode, owner, times, link targets and device numbers with lstat
            writer.WriteEntry(entry.FullName, isRealDirectory ? name + "/" : name);
            if (isRealDirectory)
                WriteDirectory(writer, entry.FullName, name + "/", fromOverlayUpper);
        }
    }
}
