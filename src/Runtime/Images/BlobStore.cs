using Container.Runtime.Storage;

namespace Container.Runtime.Images;

/// <summary>Content-addressed blobs (blobs/sha256/&lt;hex&gt;). Nothing enters unverified.</summary>
internal sealed class BlobStore(StorePaths paths)
{
    public bool Exists(string digest) => File.Exists(paths.BlobPath(digest));

    public Stream Open(string digest)
    {
        try
        {
            return new FileStream(paths.BlobPath(digest), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (FileNotFoundException)
        {
            throw Errors.Errors.StoreCorrupt(paths.BlobPath(digest), "the blob is missing from the store");
        }
    }

    public byte[] ReadAllBytes(string digest) => File.ReadAllBytes(paths.BlobPath(digest));

    public long Size(string digest) => new FileInfo(paths.BlobPath(digest)).Length;

    /// <summary>
    /// Copies content into the store. With expectedDigest, content that does not match is
    /// refused and nothing is kept.
    /// </summary>
    public Descriptor Write(Stream content, string mediaType, string? expectedDigest = null)
    {
        var staged = Staging.NewPath(paths);
        string digest;
        long size;
        try
        {
            using (var file = new FileStream(staged, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            using (var hashing = new HashingStream(file, leaveOpen: true))
            {
                content.CopyTo(hashing, 1 << 16);
                file.Flush(flushToDisk: true);
                digest = hashing.Digest;
                size = hashing.BytesProcessed;
            }
            if (expectedDigest != null && digest != expectedDigest)
                throw Errors.Errors.InvalidArgument("DigestMismatch", $"Content should have digest {expectedDigest} but has {digest}.", expectedDigest);
            Commit(staged, digest);
        }
        finally
        {
            File.Delete(staged);
        }
        return new Descriptor { MediaType = mediaType, Digest = digest, Size = size };
    }

    public Descriptor WriteJson<T>(T value, string mediaType)
    {
        using var stream = new MemoryStream(Json.Serialize(value));
        return Write(stream, mediaType);
    }

    /// <summary>Moves an already hashed file into place (a blob with that digest already there wins).</summary>
    public void Commit(string stagedFile, string digest)
    {
        var target = paths.BlobPath(digest);
        if (File.Exists(target))
            return;
        File.Move(stagedFile, target, overwrite: true);
    }

    public void Delete(string digest) => File.Delete(paths.BlobPath(digest));

    public IEnumerable<string> All() =>
        Directory.Exists(paths.BlobsDir)
            ? Directory.EnumerateFiles(paths.BlobsDir).Select(Path.GetFileName).Where(n => n!.Length == 64).Select(n => "sha256:" + n)
            : [];
}
