namespace Container.Runtime.Compose.Loading;

/// <summary>
/// Where a value is in a compose tree ("services.web.ports[0]"): what errors name, and what the
/// merge rules match ("services.*.ports").
/// </summary>
internal readonly record struct ComposePath(string[] Segments)
{
    public static readonly ComposePath Root = new([]);

    public ComposePath Next(string key) => new([.. Segments, key]);

    public ComposePath Index(int index) => new([.. Segments, $"[{index}]"]);

    public bool Matches(string pattern)
    {
        var parts = pattern.Split('.');
        if (parts.Length != Segments.Length)
            return false;
        for (var i = 0; i < parts.Length; i++)
            if (parts[i] != "*" && parts[i] != Segments[i])
                return false;
        return true;
    }

    public override string ToString() => Join(Segments);

    public static string Join(string path, string key) => path.Length == 0 ? key : key.StartsWith('[') ? path + key : $"{path}.{key}";

    private static string Join(IEnumerable<string> segments) => segments.Aggregate("", Join);
}
