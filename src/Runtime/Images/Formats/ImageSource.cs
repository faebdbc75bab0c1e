using System.Formats.Tar;
using System.IO.Compression;
using Container.Runtime.Storage;

namespace Container.Runtime.Images.Formats;

/// <summary>
/// The files an image archive is made of, by path, in any order: a directory (an OCI
/// layout), or a tar archive indexed in one pass (a gzip'd one is decompressed to staging first).
/// </summary>
internal abstract class ImageSource : IDisposable
{
    public abstract bool Contains(string path);

    /// <summary>The file's content; the caller disposes the stream.</summary>
    public abstract Stream Open(string path);

    public abstract IEnumerable<string> Files { get; }

    public abstract void Dispose();

    public static ImageSource Open(string path, StorePaths paths, IProgress<ImportProgress>? progress)
    {
        if (Directory.Exists(path))
            return new DirectorySource(path);
        if (!File.Exists(path))
            throw Errors.Errors.PathNotFound(path);
        return TarSource.FromFile(path, paths, progress);
    }

    protected static string Normalise(string path) => LayerUnpacker.SafeRelativePath(path);
}

internal sealed class DirectorySource(string root) : ImageSource
{
    public override bool Contains(string path) => File.Exists(Path.Combine(root, Normalise(path)));

    public override Stream Open(string path)
    {
        var full = Path.Combine(root, Normalise(path));
        if (!File.Exists(full))
            throw Errors.Errors.InvalidArgument("InvalidImageArchive", $"'{path}' is missing from '{root}'.", root);
        return new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
    }

    public override IEnumerable<string> Files =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f));

    public override void Dispose()
    {
    }
}

internal sealed class TarSource : ImageSource
{
    private readonly FileStream archive;
    private readonly TarReader reader;
    private readonly Dictionary<string, TarEntry> entries;
    private readonly string? decompressed;

    private TarSource(FileStream archive, string? decompressed)
    {
        this.archive = archive;
        this.decompressed = decompressed;
        reader = new TarReader(archive, leaveOpen: true);
        entries = [];
        // the entries' data streams stay readable, by seeking, after the pass
        while (reader.GetNextEntry(copyData: false) is { } entry)
            if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile && entry.DataStream != null)
                entries[Normalise(entry.Name)] = entry;
    }

    public static TarSource FromFile(string path, StorePaths paths, IProgress<ImportProgress>? progress)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        if (!Compression.IsGzip(file))
            return new TarSource(file, null);
        // random access needs a plain tar: decompress once
        var plain = Staging.NewPath(paths, ".tar");
        try
        {
            using (file)
            using (var gzip = new GZipStream(file, CompressionMode.Decompress))
            using (var output = new FileStream(plain, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
                Copy.WithProgress(gzip, output, file, "Decompressing", progress);
            return new TarSource(new FileStream(plain, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16), plain);
        }
        catch
        {
            File.Delete(plain);
            throw;
        }
    }

    public override bool Contains(string path) => entries.ContainsKey(Normalise(path));

    public override Stream Open(string path)
    {
        if (!entries.TryGetValue(Normalise(path), out var entry))
            throw Errors.Errors.InvalidArgument("InvalidImageArchive", $"'{path}' is missing from the archive.", path);
        var data = entry.DataStream!;
        data.Position = 0;
        return new NonClosingStream(data);
    }

    public override IEnumerable<string> Files => entries.Keys;

    public override void Dispose()
    {
        reader.Dispose();
        archive.Dispose();
        if (decompressed != null)
            File.Delete(decompressed);
    }

    /// <summary>Reading an entry must not close the archive under it.</summary>
    private sealed class NonClosingStream(Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => inner.CanSeek;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => inner.Position = value; }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override int Read(Span<byte> buffer) => inner.Read(buffer);
        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
        public override void Flush() { }
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
