using Container.Runtime.Build.Parsing;

namespace Container.Runtime.Build;

/// <summary>The build context as COPY and ADD take from it: the sources an instruction names, and the checksum its cache key holds.</summary>
internal sealed class BuildSources(string contextDirectory)
{
    public CopySelection Select(Instruction instruction, IReadOnlyList<string> sources)
    {
        var items = new List<CopyItem>();
        var lines = new List<string>();
        foreach (var source in sources)
        {
            var relative = Images.LayerUnpacker.SafeRelativePath(source);
            var path = Path.Combine(contextDirectory, relative);
            if (!Path.Exists(path))
                throw Errors.Errors.BuildSourceNotFound(instruction, source);
            items.Add(new CopyItem(source, contextDirectory, relative));
            foreach (var file in Directory.Exists(path) ? Directory.EnumerateFileSystemEntries(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Prepend(path) : [path])
            {
                var info = new FileInfo(file);
                var content = info.Exists && info.LinkTarget == null ? Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(file)))[..16].ToLowerInvariant() : "";
                lines.Add($"{Path.GetRelativePath(contextDirectory, file)} mode {Convert.ToString((int)File.GetUnixFileMode(file), 8)} {info.LinkTarget} {content}");
            }
        }
        return new CopySelection(items, string.Join('\n', lines));
    }
}

/// <summary>The sources selected, and what the cache key holds of them: a line a file (its path, mode, link target, content digest).</summary>
internal sealed record CopySelection(IReadOnlyList<CopyItem> Items, string Checksum);
