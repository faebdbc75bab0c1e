using Container.Runtime.Build.Parsing;

namespace Container.Runtime.Build;

/// <summary>The build context as COPY and ADD take from it: the sources an instruction names, and the checksum its cache key holds.</summary>
internal sealed class BuildSources(string contextDirectory)
{
    public CopySelection Select(Instruction instruction, IReadOnlyList<string> sources)
    {
        var items = new List<CopyItem>();
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
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
                hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"{Path.GetRelativePath(contextDirectory, file)}\n{(int)File.GetUnixFileMode(file)}\n{info.LinkTarget}\n"));
                if (info.Exists && info.LinkTarget == null)
                    hash.AppendData(File.ReadAllBytes(file));
            }
        }
        return new CopySelection(items, "sha256:" + Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant());
    }
}

internal sealed record CopySelection(IReadOnlyList<CopyItem> Items, string Checksum);
