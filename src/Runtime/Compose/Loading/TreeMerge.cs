namespace Container.Runtime.Compose.Loading;

/// <summary>
/// The compose specification's merge of one file over another (docker compose -f a -f b), on
/// the trees: mappings are merged key by key, sequences appended, scalars replaced, with the
/// rules some fields have (command, entrypoint and healthcheck.test are replaced; environment,
/// labels and the like merged by key; depends_on and networks as mappings; build's short form as
/// its context). !reset on the later file's value removes the field, !override replaces it whole.
/// What is unique in a sequence (a port, a volume's target, an environment key) is made so
/// afterwards, by Unique.
/// </summary>
internal static class TreeMerge
{
    public const string ResetTag = "!reset";
    public const string OverrideTag = "!override";

    private static readonly string[] Replaced = ["services.*.command", "services.*.entrypoint", "services.*.healthcheck.test", "services.*.ulimits.*"];

    /// <summary>Merged by key, as lists of KEY=VALUE (a mapping is made one).</summary>
    private static readonly string[] KeyedLists =
    [
        "services.*.environment", "services.*.labels", "services.*.annotations", "services.*.build.args", "services.*.build.labels",
        "services.*.build.additional_contexts", "services.*.deploy.labels", "services.*.sysctls", "services.*.tmpfs",
        "services.*.dns", "services.*.dns_opt", "services.*.dns_search", "services.*.env_file", "services.*.extra_hosts",
        "services.*.build.extra_hosts", "networks.*.labels", "volumes.*.labels",
    ];

    /// <summary>Merged as mappings: a list of names is a mapping of each to nothing (or to depends_on's defaults).</summary>
    private static readonly string[] NamedMappings = ["services.*.networks", "services.*.depends_on"];

    /// <summary>over merged onto baseNode (neither is changed); null when over resets the field.</summary>
    public static YamlNode? Merge(YamlNode? baseNode, YamlNode over, ComposePath path)
    {
        if (over.Tag == ResetTag)
            return null;
        if (over.Tag == OverrideTag || baseNode == null)
            return Untagged(over.Clone());
        if (over is YamlScalar { IsNull: true })
            return baseNode.Clone();
        if (Matches(path, Replaced))
            return over.Clone();
        if (Matches(path, KeyedLists))
            return Concatenate(AsList(baseNode), AsList(over));
        if (Matches(path, NamedMappings))
            return MergeMappings(AsMapping(baseNode, path), AsMapping(over, path), path);
        if (path.Matches("services.*.build"))
            return MergeMappings(BuildMapping(baseNode), BuildMapping(over), path);
        if (path.Matches("services.*.logging") && baseNode is YamlMapping baseLog && over is YamlMapping overLog
            && baseLog["driver"] is YamlScalar { Value: var a } && overLog["driver"] is YamlScalar { Value: var b } && a != b)
            return over.Clone();
        return (baseNode, over) switch
        {
            (YamlMapping m, YamlMapping o) => MergeMappings(m, o, path),
            (YamlSequence s, YamlSequence o) => Concatenate(s, o),
            (YamlScalar, YamlScalar) => over.Clone(),
            _ => throw Errors.Errors.ComposeFileInvalid(over.Mark.File, path.ToString(), $"cannot override a {Kind(baseNode)} with a {Kind(over)}"),
        };
    }

    private static YamlMapping MergeMappings(YamlMapping baseMap, YamlMapping over, ComposePath path)
    {
        var result = (YamlMapping)baseMap.Clone();
        result.Tag = null;
        foreach (var (key, value) in over.Entries)
        {
            var merged = Merge(baseMap[key], value, path.Next(key));
            if (merged == null)
                result.Entries.Remove(key);
            else
                result.Entries[key] = merged;
        }
        return result;
    }

    private static YamlSequence Concatenate(YamlSequence a, YamlSequence b)
    {
        var result = new YamlSequence(a.Mark);
        result.Items.AddRange(a.Items.Select(i => i.Clone()));
        result.Items.AddRange(b.Items.Select(i => i.Clone()));
        return result;
    }

    /// <summary>A KEY: VALUE mapping as the list KEY=VALUE (a key without value: KEY), sorted; a string as a list of one.</summary>
    internal static YamlSequence AsList(YamlNode node)
    {
        switch (node)
        {
            case YamlSequence sequence:
                return sequence;
            case YamlMapping mapping:
                var list = new YamlSequence(node.Mark);
                foreach (var (key, value) in mapping.Entries.OrderBy(e => e.Key, StringComparer.Ordinal))
                    list.Items.Add(value is YamlScalar { IsNull: true } ? YamlScalar.Of(key, value.Mark)
                        : YamlScalar.Of($"{key}={(value as YamlScalar)?.Value}", value.Mark));
                return list;
            default:
                var single = new YamlSequence(node.Mark);
                single.Items.Add(node);
                return single;
        }
    }

    private static YamlMapping AsMapping(YamlNode node, ComposePath path)
    {
        if (node is YamlMapping mapping)
            return mapping;
        if (node is not YamlSequence sequence)
            throw Errors.Errors.ComposeFileInvalid(node.Mark.File, path.ToString(), "must be a list or a mapping");
        var result = new YamlMapping(node.Mark);
        var dependsOn = path.Segments[^1] == "depends_on";
        foreach (var item in sequence.Items)
        {
            if (item is not YamlScalar { Value: { } name })
                throw Errors.Errors.ComposeFileInvalid(node.Mark.File, path.ToString(), "a list of names holds only names");
            YamlNode value = YamlScalar.Of(null, item.Mark);
            if (dependsOn)
            {
                var defaults = new YamlMapping(item.Mark);
                defaults.Entries["condition"] = YamlScalar.Of("service_started", item.Mark);
                defaults.Entries["required"] = new YamlScalar("true", plain: true, item.Mark);
                value = defaults;
            }
            result.Entries[name] = value;
        }
        return result;
    }

    private static YamlMapping BuildMapping(YamlNode node)
    {
        if (node is YamlMapping mapping)
            return mapping;
        var result = new YamlMapping(node.Mark);
        result.Entries["context"] = node;
        return result;
    }

    /// <summary>A file's own !reset fields go, and !override is just the value, once nothing more is merged.</summary>
    public static YamlNode? Untagged(YamlNode node)
    {
        if (node.Tag is ResetTag)
            return null;
        if (node.Tag is OverrideTag)
            node.Tag = null;
        switch (node)
        {
            case YamlMapping mapping:
                foreach (var key in mapping.Entries.Keys.ToList())
                {
                    if (Untagged(mapping.Entries[key]) is { } kept)
                        mapping.Entries[key] = kept;
                    else
                        mapping.Entries.Remove(key);
                }
                break;
            case YamlSequence sequence:
                sequence.Items.RemoveAll(i => Untagged(i) == null);
                break;
        }
        return node;
    }

    private static bool Matches(ComposePath path, string[] patterns) => patterns.Any(path.Matches);

    internal static string Kind(YamlNode node) => node switch
    {
        YamlMapping => "mapping",
        YamlSequence => "list",
        YamlScalar { IsNull: true } => "null",
        _ => "value",
    };
}
