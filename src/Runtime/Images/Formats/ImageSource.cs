using System.IO.Compression;
using Container.Runtime.Images.Tar;
using Container.Runtime.Linux;
using Container.Runtime.Storage;
using Microsoft.Win32.SafeHandles;

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

/// <summary>
/// A directory, its files found as a process chrooted there would find them: a symbolic link
/// never leads out of it (one to /etc/shadow leads to the directory's own etc/shadow), so
/// nothing of the host's can enter the store by a link.
/// </summary>
internal sealed class DirectorySource(string directory) : ImageSource
{
    private readonly RootedPath root = RootedPath.OpenRoot(directory);

    public override bool Contains(string path)
    {
        using var file = Resolve(path);
        return file != null;
    }

    public override Stream Open(string path)
    {
        using var file = Resolve(path)
                         ?? throw Errors.Errors.InvalidImageArchive($"'{path}' is missing from '{directory}' (its links lead only inside it).", directory);
        // opens the very file resolved, whatever is renamed meanwhile
        return new FileStream(file.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
    }

    /// <summary>The regular file path names, or null.</summary>
    private RootedPath? Resolve(string path)
    {
        var file = root.Resolve(Normalise(path), followFinalLink: true);
        if (file == null || FileStatus.IsRegularFile(file.Descriptor))
            return file;
        file.Dispose();
        return null;
    }

    public override void Dispose() => root.Dispose();
}

internal sealed class TarSource : ImageSource
{
    private readonly SafeFileHandle archive;
    private readonly Dictionary<string, (long Offset, long Length)> entries = [];
    private readonly string? decompressed;

    /// <param name="path">The tar to read: for a gzip'd file, its decompressed copy.</param>
    /// <param name="given">The file the user named.</param>
    private TarSource(string path, string given, string? decompressed)
    {
        this.decompressed = decompressed;
        try
        {
            // where each file's data is, to be read later in any order
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0))
            {
                var reader = new TarArchiveReader(stream);
                while (reader.Next() is { } entry)
                    if (entry is { Kind: TarEntryKind.File, Sparse: null })
                        entries[Normalise(entry.Name)] = (entry.DataOffset, entry.DataLength);
            }
            archive = File.OpenHandle(path);
        }
        catch (InvalidDataException e)
        {
            throw Errors.Errors.InvalidImageArchive($"'{given}' is not an image archive, nor a root filesystem tarball: {e.Message}", given, e);
        }
    }

    public static TarSource FromFile(string path, StorePaths paths, IProgress<ImportProgress>? progress)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        if (!Compression.IsGzip(file))
            return new TarSource(path, path, null);
        // random access needs a plain tar: decompress once
        var plain = Staging.NewPath(paths, ".tar");
        try
        {
            using (var gzip = new GZipStream(file, CompressionMode.Decompress, leaveOpen: true))
            using (var output = new FileStream(plain, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
                Copy.WithProgress(gzip, output, file, "Decompressing", progress);
            return new TarSource(plain, path, plain);
        }
        catch (InvalidDataException e)
        {
            File.Delete(plain);
            throw Errors.Errors.InvalidImageArchive($"'{path}' is not a whole gzip stream: {e.Message}", path, e);
        }
        catch
        {
            File.Delete(plain);
            throw;
        }
    }

    public override bool Contains(string path) => entries.ContainsKey(Normalise(path));

    public override Stream Open(string path) =>
        entries.TryGetValue(Normalise(path), out var entry)
            ? new ArchiveSlice(archive, entry.Offset, entry.Length)
            : throw Errors.Errors.InvalidImageArchive($"'{path}' is missing from the archive.", path);

    public override void Dispose()
    {
        archive.Dispose();
        if (decompressed != null)
            File.Delete(decompressed);
    }

    /// <summary>One file of the archive, read where it lies (positioned reads: any number may be open at once).</summary>
    private sealed class ArchiveSlice(SafeFileHandle archive, long start, long length) : Stream
    {
        private long position;

        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => position; set => position = Math.Clamp(value, 0, length); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var wanted = (int)Math.Min(buffer.Length, length - position);
            if (wanted <= 0)
                return 0;
            var n = RandomAccess.Read(archive, buffer[..wanted], start + position);
            if (n == 0)
                throw new InvalidDataException("The archive ends inside a file: it is truncated.");
            position += n;
            return n;
        }

        public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => position + offset,
            _ => length + offset,
        };

        public override void Flush() { }
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
