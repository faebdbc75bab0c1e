using System.Formats.Tar;

namespace Container.Runtime.Images.Formats;

/// <summary>Files of the archives the engine writes: plain entries, fixed times, so equal input gives equal output.</summary>
internal static class Archive
{
    private static readonly DateTimeOffset Epoch = DateTimeOffset.UnixEpoch;

    public static void WriteFile(TarWriter writer, string name, Stream content)
    {
        writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            DataStream = content,
            Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            ModificationTime = Epoch,
        });
    }

    public static void WriteFile(TarWriter writer, string name, byte[] content)
    {
        using var stream = new MemoryStream(content);
        WriteFile(writer, name, stream);
    }
}
