using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Container.Runtime.Build.Context;

/// <summary>
/// The digest a COPY/ADD step's cache keys on: per entry, its path, type, mode bits, owner, size
/// and content (a file's sha256, a link's target), never its times, so a touch alone keeps the
/// cache as docker's does; and one sha256 over them all. The per-entry digests are kept so that
/// a miss can name the first file that changed.
/// </summary>
public sealed class ContextChecksum
{
    private ContextChecksum(string digest, IReadOnlyList<(string Path, string Digest)> entries)
    {
        Digest = digest;
        Entries = entries;
    }

    /// <summary>"sha256:" and the hex digest over every entry's digest, in order.</summary>
    public string Digest { get; }

    /// <summary>Each entry's context-relative path and its own "sha256:" digest, in selection order.</summary>
    public IReadOnlyList<(string Path, string Digest)> Entries { get; }

    /// <summary>
    /// The checksum of a selection (from <see cref="BuildContext.Select"/>), each file read once,
    /// streamed. Entries are keyed by where they land (<see cref="ContextEntry.DestinationPath"/>),
    /// so the same files copied from a renamed source directory still hit the cache.
    /// </summary>
    public static ContextChecksum Compute(IReadOnlyList<ContextEntry> selection)
    {
        var entries = new List<(string, string)>(selection.Count);
        using var total = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var entry in selection)
        {
            var digest = EntryDigest(entry);
            entries.Add((entry.Path, digest));
            total.AppendData(Encoding.UTF8.GetBytes(entry.DestinationPath + "\0" + digest + "\n"));
        }
        return new ContextChecksum("sha256:" + Convert.ToHexString(total.GetHashAndReset()).ToLowerInvariant(), entries);
    }

    /// <summary>
    /// The path of the first entry that was added, removed or changed between two checksums of
    /// the same sources (both lists are in selection order); null when they agree.
    /// </summary>
    public static string? FirstDifference(ContextChecksum before, ContextChecksum after)
    {
        var now = new HashSet<string>(after.Entries.Select(e => e.Path), StringComparer.Ordinal);
        int i = 0, j = 0;
        while (i < before.Entries.Count && j < after.Entries.Count)
        {
            var (was, wasDigest) = before.Entries[i];
            var (path, digest) = after.Entries[j];
            if (was == path)
            {
                if (wasDigest != digest)
                    return path;
                i++;
                j++;
            }
            else
            {
                return now.Contains(was) ? path : was;
            }
        }
        return i < before.Entries.Count ? before.Entries[i].Path : j < after.Entries.Count ? after.Entries[j].Path : null;
    }

    private static string EntryDigest(ContextEntry entry)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(entry.DestinationPath + "\0" + entry.Type + "\0"));
        Span<byte> numbers = stackalloc byte[20];
        BinaryPrimitives.WriteUInt32LittleEndian(numbers, entry.Mode);
        BinaryPrimitives.WriteUInt32LittleEndian(numbers[4..], entry.Uid);
        BinaryPrimitives.WriteUInt32LittleEndian(numbers[8..], entry.Gid);
        BinaryPrimitives.WriteInt64LittleEndian(numbers[12..], entry.Size);
        hash.AppendData(numbers);
        if (entry.Type == ContextEntryType.File)
            AppendContent(hash, entry.FullPath);
        else if (entry.LinkTarget is { } target)
            hash.AppendData(Encoding.UTF8.GetBytes(target));
        return "sha256:" + Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
    }

    private static void AppendContent(IncrementalHash hash, string path)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
                hash.AppendData(buffer, 0, read);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
