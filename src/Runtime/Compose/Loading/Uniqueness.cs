namespace Container.Runtime.Compose.Loading;

/// <summary>
/// After merging, a sequence keeps one entry per key, the last one written, in the place of the
/// first: a port, a volume's or a secret's target, an environment or label key, a capability.
/// </summary>
internal static class Uniqueness
{
    private static readonly (string Pattern, Func<YamlNode, string?> Key)[] Rules =
    [
        ("services.*.ports", PortKey),
        ("services.*.volumes", node => Mapped(node, "target") ?? VolumeTarget(node)),
        ("services.*.devices", node => Mapped(node, "target") ?? Field(node, 1)),
        ("services.*.secrets", node => Mapped(node, "target") ?? "/run/secrets/" + (Mapped(node, "source") ?? Text(node))),
        ("services.*.configs", node => Mapped(node, "target") ?? "/" + (Mapped(node, "source") ?? Text(node))),
        ("services.*.env_file", node => Mapped(node, "path") ?? Text(node)),
        ("services.*.expose", Text),
        ("services.*.profiles", Text),
        ("services.*.extra_hosts", Text),
        ("services.*.cap_add", Text),
        ("services.*.cap_drop", Text),
        ("services.*.links", Text),
        ("services.*.dns", Text),
        ("services.*.dns_opt", Text),
        ("services.*.dns_search", Text),
        ("services.*.networks.*.aliases", Text),
        ("services.*.environment", KeyBeforeEquals),
        ("services.*.labels", KeyBeforeEquals),
        ("services.*.annotations", KeyBeforeEquals),
        ("services.*.sysctls", KeyBeforeEquals),
        ("services.*.tmpfs", KeyBeforeEquals),
        ("services.*.build.args", KeyBeforeEquals),
        ("services.*.build.labels", KeyBeforeEquals),
        ("services.*.deploy.labels", KeyBeforeEquals),
        ("networks.*.labels", KeyBeforeEquals),
        ("volumes.*.labels", KeyBeforeEquals),
    ];

    public static void Apply(YamlNode node, ComposePath path)
    {
        switch (node)
        {
            case YamlMapping mapping:
                foreach (var (key, value) in mapping.Entries)
                    Apply(value, path.Next(key));
                break;
            case YamlSequence sequence:
                if (Rules.FirstOrDefault(r => path.Matches(r.Pattern)).Key is not { } keyOf)
                    return;
                var kept = new List<YamlNode>();
                var at = new Dictionary<string, int>(StringComparer.Ordinal);
                foreach (var item in sequence.Items)
                {
                    var key = keyOf(item);
                    if (key != null && at.TryGetValue(key, out var index))
                        kept[index] = item;
                    else
                    {
                        if (key != null)
                            at[key] = kept.Count;
                        kept.Add(item);
                    }
                }
                sequence.Items.Clear();
                sequence.Items.AddRange(kept);
                break;
        }
    }

    private static string? Text(YamlNode node) => (node as YamlScalar)?.Value;

    private static string? Mapped(YamlNode node, string key) => (node as YamlMapping)?[key] is YamlScalar { Value: { } value } ? value : null;

    private static string? KeyBeforeEquals(YamlNode node) => Text(node)?.Split('=', 2)[0];

    private static string? Field(YamlNode node, int index) => Text(node)?.Split(':') is { } parts ? parts[Math.Min(index, parts.Length - 1)] : null;

    private static string? VolumeTarget(YamlNode node) => Text(node) is { } text ? VolumeSyntax.ShortTarget(text) : null;

    private static string? PortKey(YamlNode node) => node is YamlMapping
        ? $"{Mapped(node, "host_ip") ?? "0.0.0.0"}:{Mapped(node, "published")}:{Mapped(node, "target")}/{Mapped(node, "protocol") ?? "tcp"}"
        : Text(node);
}
