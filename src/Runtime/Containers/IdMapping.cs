namespace Container.Runtime.Containers;

/// <summary>One range of ids of a user namespace: Size ids from ContainerId inside are HostId on up on the host.</summary>
public sealed record IdMapping
{
    public uint ContainerId { get; init; }
    public uint HostId { get; init; }
    public uint Size { get; init; }

    /// <summary>The kernel's limit on the lines of a uid_map or gid_map.</summary>
    public const int MaxRanges = 340;

    /// <summary>Whether id (inside) is in this range.</summary>
    public bool HoldsContainerId(uint id) => id >= ContainerId && id - ContainerId < Size;

    public bool HoldsHostId(uint id) => id >= HostId && id - HostId < Size;

    public override string ToString() => $"{ContainerId}:{HostId}:{Size}";

    /// <summary>
    /// Parses podman's --uidmap/--gidmap ranges (container:host:size, several allowed), refusing
    /// what the kernel would refuse only at start: a size of 0, a range past 2^32-1, ranges
    /// that overlap inside or on the host, more ranges than a map holds.
    /// </summary>
    /// <param name="kind">uidmap or gidmap: what the messages name.</param>
    public static List<IdMapping> ParseAll(IEnumerable<string> texts, string kind)
    {
        var mappings = texts.Select(text => Parse(text, kind)).ToList();
        if (mappings.Count > MaxRanges)
            throw Invalid(kind, string.Join(',', texts), $"a map holds at most {MaxRanges} ranges");
        for (var i = 0; i < mappings.Count; i++)
            for (var j = i + 1; j < mappings.Count; j++)
            {
                var (a, b) = (mappings[i], mappings[j]);
                if (Overlap(a.ContainerId, a.Size, b.ContainerId, b.Size))
                    throw Invalid(kind, b.ToString(), $"its container ids overlap those of {a}");
                if (Overlap(a.HostId, a.Size, b.HostId, b.Size))
                    throw Invalid(kind, b.ToString(), $"its host ids overlap those of {a}");
            }
        return mappings;
    }

    private static IdMapping Parse(string text, string kind)
    {
        var parts = text.Split(':');
        if (parts.Length != 3 || !parts.All(p => p.Length > 0 && p.All(char.IsAsciiDigit)))
            throw Invalid(kind, text, "give container:host:size, three numbers (0:100000:65536)");
        if (!uint.TryParse(parts[0], out var container) || !uint.TryParse(parts[1], out var host) || !uint.TryParse(parts[2], out var size))
            throw Invalid(kind, text, "an id or size is above 4294967295");
        if (size == 0)
            throw Invalid(kind, text, "its size is 0");
        // (uid_t)-1 is no id: a range may end at 4294967294
        if ((ulong)container + size > uint.MaxValue || (ulong)host + size > uint.MaxValue)
            throw Invalid(kind, text, "it runs past the highest id, 4294967294");
        return new IdMapping { ContainerId = container, HostId = host, Size = size };
    }

    private static bool Overlap(uint start1, uint size1, uint start2, uint size2) =>
        (ulong)start1 < (ulong)start2 + size2 && (ulong)start2 < (ulong)start1 + size1;

    internal static Errors.ContainerException Invalid(string kind, string text, string why) =>
        Errors.Errors.InvalidArgument("InvalidIdMapping", $"'{text}' is not a valid --{kind}: {why}.", text);
}
