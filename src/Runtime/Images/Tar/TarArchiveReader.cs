using System.Text;

namespace Container.Runtime.Images.Tar;

/// <summary>
/// Reads a tar archive entry by entry, in one pass through its own buffer, as Go's
/// archive/tar (and so docker) reads it: ustar, GNU (long names, base-256 numbers, old
/// sparse files) and PAX (long names, exact times, xattrs, GNU sparse 0.0, 0.1 and 1.0).
/// A damaged or truncated archive is an <see cref="InvalidDataException"/>, as a damaged
/// gzip stream is; the caller says what it was reading.
/// </summary>
internal sealed class TarArchiveReader(Stream stream)
{
    private const int Block = 512;
    // long names, PAX records and sparse maps are held in memory: this much at most, as Go's reader
    private const int MaxSpecialSize = 1 << 20;
    private const int MaxSparseRegions = 1 << 20;

    private readonly byte[] buffer = new byte[1 << 17];
    private readonly byte[] header = new byte[Block];
    private int start, end;
    // the archive offset of buffer[start]
    private long position;
    // the current entry's data not read yet, and the padding after it
    private long remaining, padding;
    private bool finished;

    /// <summary>The next entry (what is left of the one before is skipped), or null at the archive's end.</summary>
    public TarHeader? Next()
    {
        if (finished)
            return null;
        Skip(remaining + padding);
        remaining = padding = 0;
        string? longName = null, longLink = null;
        PaxRecords? pax = null;
        while (true)
        {
            if (!ReadBlock(header))
            {
                if (pax != null || longName != null || longLink != null)
                    throw Truncated();
                finished = true;
                return null;
            }
            if (header.AsSpan().IndexOfAnyExcept((byte)0) < 0)
            {
                // the end: two zero blocks, or one and nothing after
                if (!ReadBlock(header) || header.AsSpan().IndexOfAnyExcept((byte)0) < 0)
                {
                    finished = true;
                    return null;
                }
                throw Damaged("a zero block is followed by more entries");
            }
            VerifyChecksum(header);
            var type = (char)header[156];
            var size = Number(header, 124, 12, "size");
            switch (type)
            {
                case 'x':
                    pax = PaxRecords.Parse(ReadSpecial(size));
                    continue;
                case 'g': // global records: docker ignores them, and so do we
                    SkipSpecial(size);
                    continue;
                case 'L':
                    longName = CString(ReadSpecial(size));
                    continue;
                case 'K':
                    longLink = CString(ReadSpecial(size));
                    continue;
            }
            return Entry(type, size, longName, longLink, pax);
        }
    }

    /// <summary>The current entry's data (a sparse file's regions, one after another); 0 at its end.</summary>
    public int ReadData(Span<byte> destination)
    {
        if (remaining == 0 || destination.IsEmpty)
            return 0;
        var wanted = (int)Math.Min(destination.Length, remaining);
        int got;
        if (start == end && wanted >= buffer.Length)
        {
            // large reads skip the buffer
            got = stream.Read(destination[..wanted]);
            if (got == 0)
                throw Truncated();
        }
        else
        {
            if (start == end && Fill() == 0)
                throw Truncated();
            got = Math.Min(wanted, end - start);
            buffer.AsSpan(start, got).CopyTo(destination);
            start += got;
        }
        position += got;
        remaining -= got;
        return got;
    }

    private TarHeader Entry(char type, long size, string? longName, string? longLink, PaxRecords? pax)
    {
        var span = header.AsSpan();
        var ustar = span.Slice(257, 6).SequenceEqual("ustar\0"u8);
        var gnu = span.Slice(257, 8).SequenceEqual("ustar  \0"u8);
        var name = CString(span[..100]);
        if (ustar && CString(span.Slice(345, 155)) is { Length: > 0 } prefix)
            name = prefix + "/" + name;
        name = pax?.Path ?? longName ?? name;
        var kind = type switch
        {
            '0' or '7' or 'S' => TarEntryKind.File,
            '\0' => name.EndsWith('/') ? TarEntryKind.Directory : TarEntryKind.File,
            '1' => TarEntryKind.HardLink,
            '2' => TarEntryKind.SymbolicLink,
            '3' => TarEntryKind.CharacterDevice,
            '4' => TarEntryKind.BlockDevice,
            '5' or 'D' => TarEntryKind.Directory,
            '6' => TarEntryKind.Fifo,
            _ => TarEntryKind.Other,
        };
        var dataLength = pax?.Size ?? size;
        // these have no data, whatever their size says
        if (kind is TarEntryKind.HardLink or TarEntryKind.SymbolicLink or TarEntryKind.CharacterDevice
            or TarEntryKind.BlockDevice or TarEntryKind.Directory or TarEntryKind.Fifo && type != 'D')
            dataLength = 0;
        if (dataLength < 0)
            throw Damaged($"'{name}' has a negative size");
        remaining = dataLength;
        padding = (Block - dataLength % Block) % Block;

        long fileSize = dataLength;
        List<SparseRegion>? sparse = null;
        if (type == 'S')
        {
            sparse = OldGnuSparseMap();
            fileSize = Number(header, 483, 12, "sparse file size");
        }
        else if (pax?.SparseVersion is { } version)
        {
            name = pax.SparseName ?? name;
            fileSize = pax.SparseSize ?? fileSize;
            sparse = version == "1.0" ? PaxSparseMap1(name) : PaxRecords.SparseMap0(pax.SparseMap, name);
        }
        if (sparse != null)
            ValidateSparse(sparse, fileSize, name);

        return new TarHeader
        {
            Name = name,
            LinkName = pax?.LinkPath ?? longLink ?? CString(span.Slice(157, 100)),
            Kind = kind,
            Mode = (uint)Number(header, 100, 8, "mode") & 0xFFF,
            Uid = (uint)(pax?.Uid ?? Number(header, 108, 8, "uid")),
            Gid = (uint)(pax?.Gid ?? Number(header, 116, 8, "gid")),
            ModifiedSeconds = pax?.ModifiedSeconds ?? Number(header, 136, 12, "mtime"),
            ModifiedNanoseconds = pax?.ModifiedNanoseconds ?? 0,
            DeviceMajor = ustar || gnu ? (uint)Number(header, 329, 8, "device major") : 0,
            DeviceMinor = ustar || gnu ? (uint)Number(header, 337, 8, "device minor") : 0,
            Size = kind == TarEntryKind.File ? fileSize : 0,
            Sparse = sparse,
            Xattrs = pax?.Xattrs ?? [],
            DataOffset = position,
            DataLength = remaining,
        };
    }

    /// <summary>GNU's old sparse header: four regions in the header, more in extension blocks before the data.</summary>
    private List<SparseRegion> OldGnuSparseMap()
    {
        var regions = new List<SparseRegion>();
        var more = ReadSparseArray(header, 386, 4, regions);
        var extension = new byte[Block];
        while (more)
        {
            if (!ReadBlock(extension))
                throw Truncated();
            more = ReadSparseArray(extension, 0, 21, regions);
        }
        return regions;
    }

    /// <returns>Whether an extension block follows.</returns>
    private static bool ReadSparseArray(byte[] block, int offset, int count, List<SparseRegion> regions)
    {
        for (var i = 0; i < count; i++)
        {
            var at = offset + i * 24;
            if (block[at] == 0)
                break;
            if (regions.Count == MaxSparseRegions)
                throw Damaged("a sparse file has too many regions");
            regions.Add(new SparseRegion(Number(block, at, 12, "sparse offset"), Number(block, at + 12, 12, "sparse length")));
        }
        return block[offset + count * 24] != 0;
    }

    /// <summary>PAX sparse 1.0: the map is at the start of the data, decimal numbers a line each, in whole blocks.</summary>
    private List<SparseRegion> PaxSparseMap1(string name)
    {
        var map = new MemoryStream();
        var block = new byte[Block];
        var lines = 0;
        void ReadLines(long wanted)
        {
            while (lines < wanted)
            {
                if (remaining < Block || map.Length >= MaxSpecialSize)
                    throw Damaged($"the sparse map of '{name}' is cut short");
                for (var got = 0; got < Block;)
                    got += ReadData(block.AsSpan(got));
                map.Write(block);
                lines += block.AsSpan().Count((byte)'\n');
            }
        }
        var cursor = 0;
        long Take()
        {
            var rest = map.GetBuffer().AsSpan(cursor, (int)map.Length - cursor);
            var token = rest[..rest.IndexOf((byte)'\n')];
            cursor += token.Length + 1;
            return PaxRecords.TryParseCount(token, out var value) ? value : throw Damaged($"the sparse map of '{name}' is not numbers");
        }
        ReadLines(1);
        var count = Take();
        if (count > MaxSparseRegions)
            throw Damaged($"'{name}' has too many sparse regions");
        ReadLines(1 + 2 * count);
        var regions = new List<SparseRegion>((int)count);
        for (var i = 0; i < count; i++)
            regions.Add(new SparseRegion(Take(), Take()));
        return regions;
    }

    /// <summary>In order, inside the file, and together exactly the data the archive holds.</summary>
    private void ValidateSparse(List<SparseRegion> regions, long fileSize, string name)
    {
        long end = 0, data = 0;
        foreach (var region in regions)
        {
            if (region.Offset < end || region.Length < 0 || region.Offset > long.MaxValue - region.Length || region.Offset + region.Length > fileSize)
                throw Damaged($"the sparse map of '{name}' is not a map of the file");
            end = region.Offset + region.Length;
            data += region.Length;
        }
        if (data != remaining)
            throw Damaged($"the sparse map of '{name}' maps {data} bytes, but the archive holds {remaining}");
    }

    private static void VerifyChecksum(byte[] header)
    {
        long unsigned = 0, signed = 0;
        for (var i = 0; i < Block; i++)
        {
            var c = i is >= 148 and < 156 ? (byte)' ' : header[i];
            unsigned += c;
            signed += (sbyte)c;
        }
        var stored = Number(header, 148, 8, "checksum");
        if (stored != unsigned && stored != signed)
            throw Damaged("a header's checksum does not match: this is not a tar archive, or it is damaged");
    }

    /// <summary>A numeric field: octal text, or GNU's base-256 (its high bit set) for what octal cannot hold.</summary>
    private static long Number(byte[] header, int offset, int length, string field)
    {
        var bytes = header.AsSpan(offset, length);
        if ((bytes[0] & 0x80) != 0)
        {
            var invert = (bytes[0] & 0x40) != 0 ? (byte)0xff : (byte)0;
            ulong value = 0;
            for (var i = 0; i < bytes.Length; i++)
            {
                var c = (byte)(bytes[i] ^ invert);
                if (i == 0)
                    c &= 0x7f;
                if (value >> 56 != 0)
                    throw Damaged($"a header's {field} is out of range");
                value = value << 8 | c;
            }
            if (value >> 63 != 0)
                throw Damaged($"a header's {field} is out of range");
            return invert != 0 ? ~(long)value : (long)value;
        }
        bytes = bytes.Trim(" \0"u8);
        var nul = bytes.IndexOf((byte)0);
        if (nul >= 0)
            bytes = bytes[..nul];
        long result = 0;
        foreach (var c in bytes)
        {
            if (c is < (byte)'0' or > (byte)'7' || result >> 60 != 0)
                throw Damaged($"a header's {field} is not a number");
            result = result << 3 | (long)(c - '0');
        }
        return result;
    }

    private static string CString(ReadOnlySpan<byte> bytes)
    {
        var nul = bytes.IndexOf((byte)0);
        return Encoding.UTF8.GetString(nul < 0 ? bytes : bytes[..nul]);
    }

    private byte[] ReadSpecial(long size)
    {
        if (size is < 0 or > MaxSpecialSize)
            throw Damaged($"an extended header of {size} bytes");
        var data = new byte[size];
        if (ReadExactly(data) != data.Length)
            throw Truncated();
        Skip((Block - size % Block) % Block);
        return data;
    }

    private void SkipSpecial(long size)
    {
        if (size < 0)
            throw Damaged("an extended header has a negative size");
        Skip(size + (Block - size % Block) % Block);
    }

    /// <returns>False at the archive's end (no byte left); a part of a block is a truncated archive.</returns>
    private bool ReadBlock(byte[] block)
    {
        var got = ReadExactly(block);
        if (got == 0)
            return false;
        return got == Block ? true : throw Truncated();
    }

    private int ReadExactly(Span<byte> destination)
    {
        var got = 0;
        while (got < destination.Length)
        {
            if (start == end && Fill() == 0)
                break;
            var n = Math.Min(destination.Length - got, end - start);
            buffer.AsSpan(start, n).CopyTo(destination[got..]);
            start += n;
            got += n;
        }
        position += got;
        return got;
    }

    private void Skip(long count)
    {
        var buffered = (int)Math.Min(count, end - start);
        start += buffered;
        position += buffered;
        count -= buffered;
        if (count == 0)
            return;
        if (stream.CanSeek)
        {
            if (stream.Length - stream.Position < count)
                throw Truncated();
            stream.Seek(count, SeekOrigin.Current);
            position += count;
            return;
        }
        while (count > 0)
        {
            if (Fill() == 0)
                throw Truncated();
            var n = (int)Math.Min(count, end - start);
            start += n;
            position += n;
            count -= n;
        }
    }

    private int Fill()
    {
        start = 0;
        end = stream.Read(buffer);
        return end;
    }

    internal static InvalidDataException Damaged(string why) => new($"The tar archive is damaged: {why}.");

    private static InvalidDataException Truncated() => new("The tar archive ends early: it is truncated.");
}
