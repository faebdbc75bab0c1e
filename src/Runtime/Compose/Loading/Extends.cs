namespace Container.Runtime.Compose.Loading;

/// <summary>
/// extends: a service built on another, of the same file (extends: base, or service: base) or
/// of another (file: other.yaml, read with its paths relative to itself). The base, its own
/// extends resolved first, is merged under the service by the merge rules; a cycle is an error.
/// </summary>
internal sealed class Extends(Func<string, YamlMapping> readFile)
{
    public void Resolve(YamlMapping root, string file)
    {
        if (root["services"] is not YamlMapping services)
            return;
        foreach (var name in services.Entries.Keys.ToList())
            services.Entries[name] = Resolved(services, name, file, []);
    }

    private YamlNode Resolved(YamlMapping services, string name, string file, List<string> chain)
    {
        var service = services[name]!;
        if (service is not YamlMapping mapping || mapping["extends"] is not { } extends)
            return service;
        var path = ComposePath.Root.Next("services").Next(name);
        var link = $"{file}#{name}";
        if (chain.Contains(link))
            throw Errors.Errors.ComposeFileInvalid(file, path.Next("extends").ToString(),
                $"extends makes a cycle: {string.Join(" -> ", chain.Append(link))}");
        chain.Add(link);
        var (baseName, baseFile) = Target(new Field(extends, path.Next("extends")), file);
        var baseServices = baseFile == file ? services : readFile(baseFile)["services"] as YamlMapping;
        if (baseServices?[baseName] is null)
            throw Errors.Errors.ComposeFileInvalid(file, path.Next("extends").ToString(), $"cannot extend service '{baseName}': {baseFile} has no such service");
        var baseService = Resolved(baseServices, baseName, baseFile, chain);
        chain.RemoveAt(chain.Count - 1);
        var own = (YamlMapping)mapping.Clone();
        own.Entries.Remove("extends");
        var merged = TreeMerge.Merge(baseService, own, path)!;
        services.Entries[name] = merged;
        return merged;
    }

    private static (string Service, string File) Target(Field extends, string file)
    {
        if (extends.Node is YamlScalar)
            return (extends.Text, file);
        Keys.Check(extends, ["service", "file"]);
        var service = (extends["service"] ?? throw extends.Invalid("extends needs the service it extends")).Text;
        return (service, extends["file"]?.Text ?? file);
    }
}
