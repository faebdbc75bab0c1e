namespace Container.Runtime.Compose.Loading;

/// <summary>
/// volumes: of a service, short ("data:/var/lib/data:ro", "./src:/app:z", "/cache" for an
/// anonymous volume) and long (type, source, target, read_only, bind/volume/tmpfs options). A
/// source that is a path (/, ., ~) is a bind, made absolute already (RelativePaths); any other
/// source names a project volume.
/// </summary>
internal static class VolumeSyntax
{
    private static readonly HashSet<string> Propagations = ["shared", "slave", "private", "rshared", "rslave", "rprivate"];
    private static readonly HashSet<string> Consistencies = ["consistent", "cached", "delegated"];

    public static bool IsPath(string source) => source.Length > 0 && source[0] is '/' or '.' or '~';

    /// <summary>The target of a short form, for telling whether two entries mount at the same place.</summary>
    public static string ShortTarget(string text)
    {
        var parts = text.Split(':');
        return parts.Length == 1 ? parts[0] : parts[1];
    }

    public static ServiceVolume Read(Field field)
    {
        if (field.Node is YamlMapping)
            return Long(field);
        var text = field.Text;
        var parts = text.Split(':');
        if (parts.Length > 3 || parts.Any(p => p.Length == 0))
            throw field.Invalid($"invalid volume '{text}'");
        if (parts.Length == 1)
            return new ServiceVolume(VolumeType.Volume, null, Target(field, parts[0]), false, null, null, new VolumeOptions(false, null), null);
        var (source, target) = (parts[0], Target(field, parts[1]));
        var modes = parts.Length == 3 ? parts[2].Split(',') : [];
        bool readOnly = false, noCopy = false;
        string? propagation = null, seLinux = null, consistency = null;
        foreach (var mode in modes)
        {
            if (mode is "ro" or "rw")
                readOnly = mode == "ro";
            else if (mode is "z" or "Z")
                seLinux = mode;
            else if (mode == "nocopy")
                noCopy = true;
            else if (Propagations.Contains(mode))
                propagation = mode;
            else if (Consistencies.Contains(mode))
                consistency = mode;
            else
                throw field.Invalid($"invalid volume '{text}': unknown mode '{mode}'");
        }
        return IsPath(source)
            ? new ServiceVolume(VolumeType.Bind, source, target, readOnly, consistency, new BindOptions(propagation, true, seLinux), null, null)
            : new ServiceVolume(VolumeType.Volume, source, target, readOnly, consistency, null, new VolumeOptions(noCopy, null), null);
    }

    private static ServiceVolume Long(Field field)
    {
        Keys.Check(field, Keys.ServiceVolume);
        var typeText = (field["type"] ?? throw field.Invalid("a volume needs its type (volume, bind, tmpfs...)")).Text;
        if (!Enum.TryParse<VolumeType>(typeText, ignoreCase: true, out var type) || typeText.Any(char.IsUpper))
            throw field.Invalid($"invalid volume type '{typeText}': volume, bind, tmpfs, npipe, image or cluster");
        var target = Target(field, (field["target"] ?? throw field.Invalid("a volume needs its target")).Text);
        var source = field["source"]?.Text;
        if (type == VolumeType.Bind && source == null)
            throw field.Invalid("a bind needs its source");
        var consistency = field["consistency"]?.Text;
        BindOptions? bind = null;
        VolumeOptions? volume = null;
        TmpfsOptions? tmpfs = null;
        if (type == VolumeType.Bind)
        {
            var options = field["bind"];
            var propagation = options?["propagation"]?.Text;
            if (propagation != null && !Propagations.Contains(propagation))
                throw options!.Invalid($"invalid propagation '{propagation}'");
            bind = new BindOptions(propagation, options?["create_host_path"]?.Bool ?? true, options?["selinux"]?.Text);
        }
        else if (type == VolumeType.Volume)
            volume = new VolumeOptions(field["volume"]?["nocopy"]?.Bool ?? false, field["volume"]?["subpath"]?.Text);
        else if (type == VolumeType.Tmpfs)
        {
            if (source != null)
                throw field.Invalid("a tmpfs has no source");
            tmpfs = new TmpfsOptions(field["tmpfs"]?["size"]?.Bytes, field["tmpfs"]?["mode"]?.Text);
        }
        return new ServiceVolume(type, source, target, field["read_only"]?.Bool ?? false, consistency, bind, volume, tmpfs);
    }

    private static string Target(Field field, string target) =>
        target.StartsWith('/') ? target : throw field.Invalid($"the mount target '{target}' is not an absolute path");
}
