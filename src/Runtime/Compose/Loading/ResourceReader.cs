namespace Container.Runtime.Compose.Loading;

/// <summary>
/// The top-level networks, volumes, secrets and configs. Each one's engine name is
/// &lt;project&gt;_&lt;key&gt; unless name: gives another, or it is external (then name: or the key itself).
/// </summary>
internal static class ResourceReader
{
    public static ComposeNetwork Network(string key, Field? field, string project)
    {
        if (field is not { } f)
            return new ComposeNetwork($"{project}_{key}", null, ValueMap<string>.Empty, null, false, false, null, false, ValueMap<string>.Empty);
        Keys.Check(f, Keys.Network);
        var (external, name) = External(f, key, project);
        NetworkIpam? ipam = null;
        if (f["ipam"] is { } i)
        {
            Keys.Check(i, ["driver", "config", "options"]);
            ipam = new NetworkIpam(i["driver"]?.Text, i["config"]?.Items.Select(pool =>
            {
                Keys.Check(pool, ["subnet", "gateway", "ip_range", "aux_addresses"]);
                return new IpamPool(pool["subnet"]?.Text, pool["gateway"]?.Text, pool["ip_range"]?.Text);
            }).ToValueList() ?? []);
        }
        return new ComposeNetwork(name, f["driver"]?.Text, Options(f), ipam, external, f["internal"]?.Bool ?? false,
            f["enable_ipv6"]?.Bool, f["attachable"]?.Bool ?? false, Labels(f));
    }

    public static ComposeVolume Volume(string key, Field? field, string project)
    {
        if (field is not { } f)
            return new ComposeVolume($"{project}_{key}", null, ValueMap<string>.Empty, false, ValueMap<string>.Empty);
        Keys.Check(f, Keys.Volume);
        var (external, name) = External(f, key, project);
        return new ComposeVolume(name, f["driver"]?.Text, Options(f), external, Labels(f));
    }

    public static ComposeFileObject FileObject(string key, Field f, string project)
    {
        Keys.Check(f, Keys.FileObject);
        var (external, name) = External(f, key, project);
        var sources = new[] { "file", "environment", "content" }.Count(s => f[s] != null);
        if (!external && sources != 1)
            throw f.Invalid("needs one of file, environment or content (or external: true)");
        return new ComposeFileObject(name, f["file"]?.Text, f["environment"]?.Text, f["content"]?.Text, external, Labels(f));
    }

    /// <summary>external: true (or the old external: {name: ...}) and the engine name.</summary>
    private static (bool External, string Name) External(Field f, string key, string project)
    {
        var name = f["name"]?.Text;
        if (f["external"] is not { } external)
            return (false, name ?? $"{project}_{key}");
        if (external.Node is YamlMapping)
            return (true, external["name"]?.Text ?? name ?? key);
        return external.Bool ? (true, name ?? key) : (false, name ?? $"{project}_{key}");
    }

    private static ValueMap<string> Options(Field f) =>
        f["driver_opts"] is { } options ? ValueMap.Of(options.Pairs().Select(p => KeyValuePair.Create(p.Key, p.Value ?? ""))) : ValueMap<string>.Empty;

    private static ValueMap<string> Labels(Field f) =>
        f["labels"] is { } labels ? ValueMap.Of(labels.Pairs().Select(p => KeyValuePair.Create(p.Key, p.Value ?? ""))) : ValueMap<string>.Empty;
}
