using Container.Runtime.Build.Context;
using Container.Runtime.Build.Parsing;

namespace Container.Runtime.Build;

/// <summary>
/// The build context as COPY and ADD take from it: what .dockerignore leaves of the sources an
/// instruction names, as the copy's items, and the checksum of it the cache key holds.
/// </summary>
internal sealed class BuildSources(string contextDirectory, string? dockerfilePath)
{
    private readonly BuildContext context = new(contextDirectory, IgnoreRules.Read(contextDirectory, dockerfilePath));

    public string Root => context.Root;

    public CopySelection Select(Instruction instruction, IReadOnlyList<string> sources)
    {
        var entries = context.Select(sources);
        // what the copy takes, by destination name, and the directories on the way to each (one
        // .dockerignore excludes may hold an exception: it is made, to hold what is taken)
        var taken = entries.Select(e => e.DestinationPath).ToHashSet(StringComparer.Ordinal);
        var onTheWay = taken.SelectMany(Parents).ToHashSet(StringComparer.Ordinal);
        // an item for each name the copy makes in the destination, taking only the selected entries under it
        var items = entries
            .Select(e => (Name: e.DestinationPath.Split('/')[0], Path: TopOf(e)))
            .DistinctBy(t => t.Name)
            .Select(t => new CopyItem(t.Path, context.Root, t.Path, (name, _) => taken.Contains(name) || onTheWay.Contains(name), t.Name))
            .ToList();
        var lone = sources.Count == 1 && !GoPath.HasWildcard(sources[0]) && entries is [{ Type: not ContextEntryType.Directory } only]
                   && only.Path == GoPath.Clean("/" + sources[0]).TrimStart('/');
        var checksum = ContextChecksum.Compute(entries);
        return new CopySelection(items, string.Join('\n', checksum.Entries.Select(e => $"{e.Path} {e.Digest}")), lone);
    }

    /// <summary>The context path of the name an entry is under in the destination: its path, less the part of it below that name.</summary>
    private static string TopOf(ContextEntry entry)
    {
        var below = entry.DestinationPath.Count(c => c == '/');
        var path = entry.Path;
        for (var i = 0; i < below; i++)
            path = path[..path.LastIndexOf('/')];
        return path;
    }

    private static IEnumerable<string> Parents(string path)
    {
        for (var slash = path.LastIndexOf('/'); slash > 0; slash = path.LastIndexOf('/', slash - 1))
            yield return path[..slash];
    }
}

/// <summary>
/// The sources selected; what the cache key holds of them (a line a file: its path and digest);
/// and whether they are one file named alone (which a destination without '/' renames).
/// </summary>
internal sealed record CopySelection(IReadOnlyList<CopyItem> Items, string Checksum, bool LoneFile);
