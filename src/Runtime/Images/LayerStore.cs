using Container.Runtime.Storage;

namespace Container.Runtime.Images;

/// <summary>
/// Unpacked layers, one per diff id (layers/&lt;hex&gt;/diff), unpacked once and shared by
/// every image and container that uses them as an overlay lower dir.
/// </summary>
internal sealed class LayerStore(StorePaths paths)
{
    public string ContentDir(string diffId) => Path.Combine(paths.LayerDir(diffId), "diff");

    public bool Exists(string diffId) => Directory.Exists(ContentDir(diffId));

    /// <summary>Unpacked size in bytes, recorded when the layer was unpacked.</summary>
    public long Size(string diffId) =>
        long.TryParse(File.Exists(SizeFile(diffId)) ? File.ReadAllText(SizeFile(diffId)) : "", out var size) ? size : 0;

    /// <summary>Diff ids of every unpacked layer.</summary>
    public IEnumerable<string> All() =>
        Directory.Exists(paths.LayersDir)
            ? Directory.EnumerateDirectories(paths.LayersDir).Select(Path.GetFileName).Where(n => n!.Length == 64).Select(n => "sha256:" + n)
            : [];

    /// <summary>
    /// Unpacks the layer unless it already is, checking the tar against its diff id (unless the
    /// blob is that very tar, already verified by digest). Two processes may unpack the same
    /// layer at once: each works in its own staging directory and the first rename wins.
    /// </summary>
    public string EnsureUnpacked(string diffId, string blobDigest, Func<Stream> openUncompressedTar)
    {
        if (Exists(diffId))
            return ContentDir(diffId);
        var staged = Staging.NewPath(paths);
        try
        {
            var content = Path.Combine(staged, "diff");
            Directory.CreateDirectory(content);
            long size = 0;
            using (var tar = openUncompressedTar())
            {
                if (blobDigest == diffId)
                    LayerUnpacker.Unpack(tar, content, n => size += n);
                else
                {
                    using var hashing = new HashingStream(tar, leaveOpen: true);
                    LayerUnpacker.Unpack(hashing, content, n => size += n);
                    try
                    {
                        hashing.CopyTo(Stream.Null); // the tar's end padding is part of what the diff id hashes
                    }
                    catch (InvalidDataException e)
                    {
                        throw Errors.Errors.InvalidLayer($"Layer {blobDigest} cannot be read: {e.Message}", blobDigest, e);
                    }
                    if (hashing.Digest != diffId)
                        throw Errors.Errors.InvalidArgument("DigestMismatch", $"Layer should have diff id {diffId} but has {hashing.Digest}.", diffId);
                }
            }
            File.WriteAllText(Path.Combine(staged, "size"), size.ToString());
            try
            {
                Directory.Move(staged, paths.LayerDir(diffId));
            }
            catch (IOException) when (Exists(diffId))
            {
                // another process finished the same layer first
            }
        }
        finally
        {
            if (Directory.Exists(staged))
                Directory.Delete(staged, recursive: true);
        }
        return ContentDir(diffId);
    }

    public void Delete(string diffId)
    {
        var dir = paths.LayerDir(diffId);
        if (!Directory.Exists(dir))
            return;
        // rename first, so the layer vanishes at once even if the delete is interrupted
        var doomed = Staging.NewPath(paths);
        Directory.Move(dir, doomed);
        Directory.Delete(doomed, recursive: true);
    }

    private string SizeFile(string diffId) => Path.Combine(paths.LayerDir(diffId), "size");
}
