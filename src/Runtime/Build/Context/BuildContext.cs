using Container.Runtime.Linux;

namespace Container.Runtime.Build.Context;

/// <summary>
/// A build's context directory and its .dockerignore rules: resolves COPY/ADD sources to the
/// entries they copy as buildkit does. Sources are clamped to the root ('/' and '..' cannot leave
/// it), wildcards match per name with filepath.Match, a directory means its contents, links are
/// entries of their own (never followed), and what the rules exclude is never selected.
/// </summary>
public sealed class BuildContext
{
    /// <summary>A context over a directory with the rules given (read them with <see cref="IgnoreRules.Read"/>).</summary>
    public BuildContext(string root, IgnoreRules rules)
    {
        Root = System.IO.Path.GetFullPath(root).TrimEnd('/');
        Rules = rules;
    }

    /// <summary>The context directory, absolute.</summary>
    public string Root { get; }

    public IgnoreRules Rules { get; }

    /// <summary>
    /// The entries the sources copy, in source order and, within each, in ordinal path order
    /// (a directory before what it holds). A source that selects nothing is BuildSourceNotFound.
    /// </summary>
    public IReadOnlyList<ContextEntry> Select(IReadOnlyList<string> sources)
    {
        var selected = new List<ContextEntry>();
        foreach (var source in sources)
        {
            var relative = Clamp(source);
            var matches = GoPath.HasWildcard(relative) ? Expand(relative) : Literal(relative);
            var before = selected.Count;
            foreach (var match in matches)
                AddSource(match, selected);
            if (selected.Count == before && !(matches.Count > 0 && matches.All(m => m.Type == ContextEntryType.Directory)))
                throw Errors.Errors.BuildSourceNotFound(source);
        }
        return selected;
    }

    /// <summary>buildkit's path.Join("/", source): '..' stops at the root, a leading '/' is the root.</summary>
    private static string Clamp(string source)
    {
        var cleaned = GoPath.Clean("/" + source);
        return cleaned == "/" ? "." : cleaned[1..];
    }

    private List<ContextEntry> Literal(string relative)
    {
        if (relative == ".")
            return [EntryOf(".", ".") ?? throw Errors.Errors.BuildSourceNotFound(relative)];
        if (Rules.Excludes(relative) || !ParentsAreDirectories(relative))
            return [];
        var entry = EntryOf(relative, relative);
        return entry is null ? [] : [entry];
    }

    /// <summary>Whether every name above the path is a real directory: a link there would lead the lookup anywhere.</summary>
    private bool ParentsAreDirectories(string relative)
    {
        var names = relative.Split('/');
        var path = Root;
        for (var i = 0; i < names.Length - 1; i++)
        {
            path += "/" + names[i];
            if (FileStatus.KindOf(path) != FileStatus.Kind.Directory)
                return false;
        }
        return true;
    }

    private List<ContextEntry> Expand(string pattern)
    {
        var current = new List<string> { "." };
        var segments = pattern.Split('/');
        for (var s = 0; s < segments.Length; s++)
        {
            var next = new List<string>();
            foreach (var dir in current)
            {
                var full = dir == "." ? Root : Root + "/" + dir;
                if (FileStatus.KindOf(full) != FileStatus.Kind.Directory)
                    continue;
                foreach (var name in Names(full))
                {
                    bool hit;
                    try
                    {
                        hit = GoPath.Match(segments[s], name);
                    }
                    catch (ArgumentException)
                    {
                        throw Errors.Errors.BuildSourceNotFound(pattern);
                    }
                    if (hit)
                        next.Add(dir == "." ? name : dir + "/" + name);
                }
            }
            current = next;
        }
        var entries = new List<ContextEntry>();
        foreach (var path in current)
        {
            if (Rules.Excludes(path))
                continue;
            if (EntryOf(path, path) is { } entry)
                entries.Add(entry);
        }
        return entries;
    }

    private void AddSource(ContextEntry match, List<ContextEntry> selected)
    {
        if (match.Type != ContextEntryType.Directory)
        {
            selected.Add(match with { DestinationPath = System.IO.Path.GetFileName(match.Path) });
            return;
        }
        Walk(match.Path, "", selected);
    }

    private void Walk(string dir, string destination, List<ContextEntry> selected)
    {
        var full = dir == "." ? Root : Root + "/" + dir;
        foreach (var name in Names(full))
        {
            var path = dir == "." ? name : dir + "/" + name;
            var target = destination.Length == 0 ? name : destination + "/" + name;
            var entry = EntryOf(path, target);
            if (entry is null)
                continue;
            var excluded = Rules.Excludes(path);
            if (!excluded)
                selected.Add(entry);
            if (entry.Type == ContextEntryType.Directory && (!excluded || Rules.MayIncludeUnder(path)))
                Walk(path, target, selected);
        }
    }

    private static IEnumerable<string> Names(string directory)
    {
        var names = new List<string>();
        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos())
            names.Add(entry.Name);
        names.Sort(StringComparer.Ordinal);
        return names;
    }

    /// <summary>The entry at a relative path, its link not followed; null for nothing there or a device, FIFO or socket.</summary>
    private ContextEntry? EntryOf(string path, string destination)
    {
        var full = path == "." ? Root : Root + "/" + path;
        var status = FileStatus.OfLink(full);
        if (status is null)
            return null;
        ContextEntryType type;
        switch (status.Type)
        {
            case 0x8000:
                type = ContextEntryType.File;
                break;
            case 0x4000:
                type = ContextEntryType.Directory;
                break;
            case 0xA000:
                type = ContextEntryType.SymbolicLink;
                break;
            default:
                return null;
        }
        return new ContextEntry
        {
            Path = path,
            DestinationPath = destination,
            FullPath = full,
            Type = type,
            Mode = status.Mode & 0xFFFu,
            Uid = status.Uid,
            Gid = status.Gid,
            Size = type == ContextEntryType.File ? status.Size : 0,
            LinkTarget = type == ContextEntryType.SymbolicLink ? new FileInfo(full).LinkTarget : null,
        };
    }
}
