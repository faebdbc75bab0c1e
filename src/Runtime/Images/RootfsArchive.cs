using System.Formats.Tar;

namespace Container.Runtime.Images;

/// <summary>A directory as a layer tarball: PAX entries in a stable order, ownership, modes, times and links kept.</summary>
internal static class RootfsArchive
{
    public static void Write(string directory, Stream output)
    {
        var root = Path.GetFullPath(directory);
        using var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        WriteDirectory(writer, root, "");
    }

    private static void WriteDirectory(TarWriter writer, string dir, string prefix)
    {
        var entries = new DirectoryInfo(dir).EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var name = prefix + entry.Name;
            var isRealDirectory = entry is DirectoryInfo && entry.LinkTarget == null;
            // WriteEntry reads mode, owner, times, link targets and device numbers with lstat
            writer.WriteEntry(entry.FullName, isRealDirectory ? name + "/" : name);
            if (isRealDirectory)
                WriteDirectory(writer, entry.FullName, name + "/");
        }
    }
}
