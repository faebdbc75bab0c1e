using System.Buffers;
using System.Text;

namespace Container.Runtime.Images.Tar;

/// <summary>
/// Writes a PAX tar archive, entry by entry: a ustar header, after a PAX extended header when
/// the entry needs one (a long or non-ASCII name or link, an id or size past ustar's fields,
/// extended attributes). Times are whole seconds, as docker writes its layers. Written here rather than by System.Formats.Tar,
/// whose PAX records are strings: a binary attribute value (a file capability, an ACL) is
/// written as its bytes, as docker's and GNU tar's writers do, and read back by TarArchiveReader.
/// </summary>
internal sealed class TarArchiveWriter(Stream destination) : IDisposable
{
    private const int Block = 512;
    private const string XattrPrefix = "SCHILY.xattr.";
    // the largest values ustar's octal fields hold
    private const long MaxId = 0x1FFFFF, MaxSize = 0x1FFFFFFFF;

    private readonly byte[] header = new byte[Block];
    // headers are small writes: gathered, so that a file system or pipe sees few
    private readonly BufferedStream output = new(destination, 1 << 16);

    /// <summary>Writes an entry, and for a file its content (header.Size bytes of what the descriptor reads).</summary>
    public void Write(TarHeader entry, int content = -1)
    {
        var records = PaxRecordsOf(entry);
        if (records.Length > 0)
        {
            WriteHeader(PaxHeaderName(entry.Name), 'x', 0, 0, 0, records.Length, entry.ModifiedSeconds, "", 0, 0);
            output.Write(records);
            Pad(records.Length);
        }
        WriteHeader(Fits(entry.Name, 100) ? entry.Name : Truncated(entry.Name), TypeFlag(entry.Kind), entry.Mode,
            Math.Min(entry.Uid, MaxId), Math.Min(entry.Gid, MaxId), entry.Size > MaxSize ? 0 : entry.Size, entry.ModifiedSeconds,
            Fits(entry.LinkName, 100) ? entry.LinkName : Truncated(entry.LinkName), entry.DeviceMajor, entry.DeviceMinor);
        if (entry.Kind == TarEntryKind.File && entry.Size > 0)
        {
            CopyExactly(content >= 0 ? content : throw new ArgumentException("a file needs its content", nameof(content)), entry.Size, entry.Name);
            Pad(entry.Size);
        }
    }

    /// <summary>The end of the archive: two zero blocks. The stream given stays open.</summary>
    public void Dispose()
    {
        output.Write(new byte[2 * Block]);
        output.Flush();
    }

    private static char TypeFlag(TarEntryKind kind) => kind switch
    {
        TarEntryKind.File => '0',
        TarEntryKind.HardLink => '1',
        TarEntryKind.SymbolicLink => '2',
        TarEntryKind.CharacterDevice => '3',
        TarEntryKind.BlockDevice => '4',
        TarEntryKind.Directory => '5',
        TarEntryKind.Fifo => '6',
        _ => throw new ArgumentException($"a tar entry cannot be written as {kind}"),
    };

    private static byte[] PaxRecordsOf(TarHeader entry)
    {
        var records = new MemoryStream();
        if (!Fits(entry.Name, 100))
            Record(records, "path", Encoding.UTF8.GetBytes(entry.Name));
        if (!Fits(entry.LinkName, 100))
            Record(records, "linkpath", Encoding.UTF8.GetBytes(entry.LinkName));
        if (entry.Uid > MaxId)
            Record(records, "uid", AsciiBytes(entry.Uid.ToString()));
        if (entry.Gid > MaxId)
            Record(records, "gid", AsciiBytes(entry.Gid.ToString()));
        if (entry.Size > MaxSize)
            Record(records, "size", AsciiBytes(entry.Size.ToString()));
        foreach (var (name, value) in entry.Xattrs)
            Record(records, XattrPrefix + name, value);
        return records.ToArray();
    }

    /// <summary>"LEN key=value\n", LEN counting its own digits.</summary>
    private static void Record(MemoryStream records, string key, byte[] value)
    {
        var rest = Encoding.UTF8.GetByteCount(key) + value.Length + 3; // space, '=', newline
        var length = rest + 1;
        while (length.ToString().Length + rest != length)
            length = length.ToString().Length + rest;
        records.Write(AsciiBytes($"{length} {key}="));
        records.Write(value);
        records.WriteByte((byte)'\n');
    }

    private void WriteHeader(string name, char type, uint mode, long uid, long gid, long size, long modified, string linkName, uint major, uint minor)
    {
        Array.Clear(header);
        Encoding.UTF8.GetBytes(name, header.AsSpan(0, 100));
        Octal(100, 8, mode & 0xFFF);
        Octal(108, 8, uid);
        Octal(116, 8, gid);
        Octal(124, 12, size);
        Octal(136, 12, Math.Clamp(modified, 0, 0x1FFFFFFFF));
        header[156] = (byte)type;
        Encoding.UTF8.GetBytes(linkName, header.AsSpan(157, 100));
        "ustar\000"u8.CopyTo(header.AsSpan(257));
        if (type is '3' or '4')
        {
            Octal(329, 8, major);
            Octal(337, 8, minor);
        }
        // the checksum is the bytes' sum with its own field as spaces
        header.AsSpan(148, 8).Fill((byte)' ');
        var sum = 0;
        foreach (var b in header)
            sum += b;
        Octal(148, 7, sum);
        output.Write(header);
    }

    /// <summary>A number in octal, zero-padded, then a NUL, in width bytes at offset.</summary>
    private void Octal(int offset, int width, long value)
    {
        var digits = Convert.ToString(value, 8).PadLeft(width - 1, '0');
        Encoding.ASCII.GetBytes(digits, header.AsSpan(offset, width - 1));
        header[offset + width - 1] = 0;
    }

    private unsafe void CopyExactly(int content, long size, string name)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 17);
        try
        {
            fixed (byte* start = buffer)
                for (long done = 0; done < size;)
                {
                    var read = (int)Linux.Libc.Pread(content, start, (nuint)Math.Min(buffer.Length, size - done), done);
                    if (read < 0 && System.Runtime.InteropServices.Marshal.GetLastPInvokeError() == Linux.Libc.EINTR)
                        continue;
                    Linux.Libc.Check(read < 0 ? -1 : 0, $"read '{name}'", name);
                    // a file that shrank while it was read: the archive keeps the size its header says
                    if (read == 0)
                    {
                        Array.Clear(buffer);
                        read = (int)Math.Min(buffer.Length, size - done);
                    }
                    output.Write(buffer, 0, read);
                    done += read;
                }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Pad(long length)
    {
        var padding = (int)((Block - length % Block) % Block);
        if (padding > 0)
            output.Write(new byte[padding]);
    }

    /// <summary>Whether text goes as it is into a ustar field of width bytes: ASCII, and short enough.</summary>
    private static bool Fits(string text, int width) => text.Length <= width && Ascii.IsValid(text);

    private static string Truncated(string text)
    {
        var ascii = new string(text.Select(c => c < 128 ? c : '_').ToArray());
        return ascii.Length <= 100 ? ascii : ascii[..100];
    }

    private static string PaxHeaderName(string name)
    {
        var trimmed = name.TrimEnd('/');
        return Truncated("PaxHeaders.0/" + trimmed[(trimmed.LastIndexOf('/') + 1)..]);
    }

    private static byte[] AsciiBytes(string text) => Encoding.ASCII.GetBytes(text);
}
