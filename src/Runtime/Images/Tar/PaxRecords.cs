using System.Buffers.Text;
using System.Text;

namespace Container.Runtime.Images.Tar;

/// <summary>
/// The records of a PAX extended header ("LEN key=value\n" each) that say something about
/// the entry after it; the rest are read past, as docker's reader does.
/// </summary>
internal sealed class PaxRecords
{
    private const string XattrPrefix = "SCHILY.xattr.";

    public string? Path { get; private set; }
    public string? LinkPath { get; private set; }
    public long? Size { get; private set; }
    public long? Uid { get; private set; }
    public long? Gid { get; private set; }
    public long? ModifiedSeconds { get; private set; }
    public long? ModifiedNanoseconds { get; private set; }
    public List<(string Name, byte[] Value)>? Xattrs { get; private set; }

    private string? sparseMajor, sparseMinor;
    // 0.0 repeats offset and numbytes records; 0.1 has them in one map record
    private List<string>? sparseParts;

    /// <summary>The GNU sparse format the records describe: "0.x" (map in a record), "1.0" (map in the data), or null (not sparse).</summary>
    public string? SparseVersion => (sparseMajor, sparseMinor) switch
    {
        ("0", "0" or "1") => "0.x",
        ("1", "0") => "1.0",
        (null, null) => SparseMap != null ? "0.x" : null,
        _ => null, // a version no one knows: the data as it is, as Go reads it
    };

    public string? SparseMap { get; private set; }
    public string? SparseName { get; private set; }
    public long? SparseSize { get; private set; }

    public static PaxRecords Parse(ReadOnlySpan<byte> data)
    {
        var records = new PaxRecords();
        data = data.TrimEnd((byte)0);
        while (!data.IsEmpty)
        {
            var space = data.IndexOf((byte)' ');
            if (space <= 0 || !TryParseCount(data[..space], out var length) || length <= space + 1 || length > data.Length || data[(int)length - 1] != '\n')
                throw TarArchiveReader.Damaged("a PAX record is malformed");
            var record = data[(space + 1)..((int)length - 1)];
            data = data[(int)length..];
            var equals = record.IndexOf((byte)'=');
            if (equals <= 0)
                throw TarArchiveReader.Damaged("a PAX record has no key");
            records.Add(Encoding.UTF8.GetString(record[..equals]), record[(equals + 1)..]);
        }
        if (records.sparseParts != null)
            records.SparseMap = string.Join(',', records.sparseParts);
        return records;
    }

    private void Add(string key, ReadOnlySpan<byte> value)
    {
        switch (key)
        {
            case "path":
                Path = Encoding.UTF8.GetString(value);
                break;
            case "linkpath":
                LinkPath = Encoding.UTF8.GetString(value);
                break;
            case "size":
                Size = Count(value, key);
                break;
            case "uid":
                Uid = Count(value, key);
                break;
            case "gid":
                Gid = Count(value, key);
                break;
            case "mtime":
                (ModifiedSeconds, ModifiedNanoseconds) = Time(value);
                break;
            case "GNU.sparse.major":
                sparseMajor = Encoding.ASCII.GetString(value);
                break;
            case "GNU.sparse.minor":
                sparseMinor = Encoding.ASCII.GetString(value);
                break;
            case "GNU.sparse.name":
                SparseName = Encoding.UTF8.GetString(value);
                break;
            case "GNU.sparse.size" or "GNU.sparse.realsize":
                SparseSize ??= Count(value, key);
                break;
            case "GNU.sparse.map":
                SparseMap = Encoding.ASCII.GetString(value);
                break;
            case "GNU.sparse.offset" or "GNU.sparse.numbytes":
                sparseParts ??= [];
                // offsets and lengths alternate, an offset first
                if ((sparseParts.Count % 2 == 0) != (key == "GNU.sparse.offset"))
                    throw TarArchiveReader.Damaged("the PAX sparse records are out of order");
                sparseParts.Add(Count(value, key).ToString(System.Globalization.CultureInfo.InvariantCulture));
                break;
            default:
                if (key.StartsWith(XattrPrefix, StringComparison.Ordinal))
                    (Xattrs ??= []).Add((key[XattrPrefix.Length..], value.ToArray()));
                break;
        }
    }

    /// <summary>A 0.0 or 0.1 map: offset,length,offset,length...</summary>
    public static List<SparseRegion> SparseMap0(string? map, string name)
    {
        var parts = string.IsNullOrEmpty(map) ? [] : map.Split(',');
        if (parts.Length % 2 != 0)
            throw TarArchiveReader.Damaged($"the sparse map of '{name}' has an offset without a length");
        var regions = new List<SparseRegion>(parts.Length / 2);
        for (var i = 0; i < parts.Length; i += 2)
        {
            if (!TryParseCount(Encoding.ASCII.GetBytes(parts[i]), out var offset) || !TryParseCount(Encoding.ASCII.GetBytes(parts[i + 1]), out var length))
                throw TarArchiveReader.Damaged($"the sparse map of '{name}' is not numbers");
            regions.Add(new SparseRegion(offset, length));
        }
        return regions;
    }

    /// <summary>A non-negative decimal, all of the text.</summary>
    public static bool TryParseCount(ReadOnlySpan<byte> text, out long value) =>
        Utf8Parser.TryParse(text, out value, out var consumed) && consumed == text.Length && value >= 0 && text[0] != '-';

    private static long Count(ReadOnlySpan<byte> value, string key) =>
        TryParseCount(value, out var n) ? n : throw TarArchiveReader.Damaged($"the PAX record {key} is not a number");

    /// <summary>Seconds since the epoch, maybe negative, maybe with a fraction (kept to the nanosecond).</summary>
    private static (long Seconds, long Nanoseconds) Time(ReadOnlySpan<byte> value)
    {
        var negative = !value.IsEmpty && value[0] == '-';
        var text = negative ? value[1..] : value;
        var dot = text.IndexOf((byte)'.');
        var whole = dot < 0 ? text : text[..dot];
        var fraction = dot < 0 ? [] : text[(dot + 1)..];
        if (!TryParseCount(whole, out var seconds) || fraction.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0)
            throw TarArchiveReader.Damaged("the PAX record mtime is not a time");
        long nanoseconds = 0;
        for (var i = 0; i < 9; i++)
            nanoseconds = nanoseconds * 10 + (i < fraction.Length ? fraction[i] - '0' : 0);
        if (!negative)
            return (seconds, nanoseconds);
        // -1.25 is 1.25 s before the epoch: -2 s, then 0.75 s
        return nanoseconds == 0 ? (-seconds, 0) : (-seconds - 1, 1_000_000_000 - nanoseconds);
    }
}
