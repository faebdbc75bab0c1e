using System.Collections;
using System.Globalization;

namespace Container.Runtime.Volumes;

/// <summary>
/// The ways a user asks for a mount, read as docker reads them: -Volume's short form
/// ([source:]target[:options]), -Mount's long form (type=bind,source=...,target=..., as a
/// string or a hashtable) and -Tmpfs (target[:options]). Everything is checked here, before
/// anything is made; what a mount refers to (a volume, a bind's source) is looked at when the
/// container is made.
/// </summary>
public static class MountParser
{
    private static readonly HashSet<string> Propagations = ["private", "rprivate", "shared", "rshared", "slave", "rslave"];

    /// <summary>Flags a tmpfs takes besides its size and mode; docker's default is noexec, nosuid, nodev.</summary>
    private static readonly HashSet<string> TmpfsFlagNames =
        ["exec", "noexec", "suid", "nosuid", "dev", "nodev", "atime", "noatime", "relatime", "strictatime", "diratime", "nodiratime", "sync", "async"];

    /// <summary>
    /// -Volume: /host:/data, /host:/data:ro, name:/data (a named volume), /data (an anonymous
    /// one), with ro, rw, a propagation, nocopy, and SELinux's z and Z (warn says they are
    /// ignored). A relative source (./dir) is taken from currentDirectory, as docker's CLI does.
    /// </summary>
    public static ContainerMount ParseVolume(string text, string currentDirectory, Action<string>? warn = null)
    {
        var parts = text.Split(':');
        string? source;
        string target;
        string? options = null;
        switch (parts.Length)
        {
            case 1:
                (source, target) = (null, parts[0]);
                break;
            case 2 when !parts[1].StartsWith('/'):
                // /data:ro: an anonymous volume with options
                (source, target, options) = (null, parts[0], parts[1]);
                break;
            case 2:
                (source, target) = (parts[0], parts[1]);
                break;
            case 3:
                (source, target, options) = (parts[0], parts[1], parts[2]);
                break;
            default:
                throw Errors.Errors.InvalidVolumeSpec(text, "give [source:]target[:options], as /host/dir:/data:ro or name:/data");
        }
        if (source is "")
            throw Errors.Errors.InvalidVolumeSpec(text, "its source is empty");
        var type = source == null ? MountType.Volume : IsPath(source) ? MountType.Bind : MountType.Volume;
        if (type == MountType.Volume && source != null)
            VolumeNames.Check(source);
        bool? readOnly = null;
        string? propagation = null;
        var noCopy = false;
        foreach (var option in (options ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            switch (option)
            {
                case "ro" or "rw" when readOnly != null:
                    throw Errors.Errors.InvalidMountOption(text, option, "ro or rw is given once");
                case "ro" or "rw":
                    readOnly = option == "ro";
                    break;
                case "nocopy" when type == MountType.Volume:
                    noCopy = true;
                    break;
                case "z" or "Z":
                    warn?.Invoke(SelinuxWarning(text, option));
                    break;
                case var p when Propagations.Contains(p) && type == MountType.Bind && propagation == null:
                    propagation = p;
                    break;
                case var p when Propagations.Contains(p) || p == "nocopy":
                    throw Errors.Errors.InvalidMountOption(text, option,
                        type == MountType.Bind ? "a propagation is given once" : $"'{option}' is for {(p == "nocopy" ? "volumes" : "binds")} only");
                default:
                    throw Errors.Errors.InvalidMountOption(text, option, "the options are ro, rw, nocopy, z, Z and the propagations (rprivate, rshared, rslave...)");
            }
        }
        return new ContainerMount
        {
            Type = type,
            Source = type == MountType.Bind ? Path.GetFullPath(source!, currentDirectory) : source,
            Target = Target(text, target),
            ReadOnly = readOnly == true,
            Propagation = propagation,
            NoCopy = noCopy,
            CreateSource = type == MountType.Bind,
            Anonymous = source == null,
        };
    }

    /// <summary>-Mount's long form as docker writes it: type=volume,source=data,target=/data,readonly.</summary>
    public static ContainerMount ParseMount(string text)
    {
        var fields = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var field in SplitFields(text))
        {
            var equals = field.IndexOf('=');
            var (key, value) = equals < 0 ? (field, null) : (field[..equals], field[(equals + 1)..]);
            if (!fields.TryAdd(key.Trim(), value))
                throw Errors.Errors.InvalidMountOption(text, key, "each key is given once");
        }
        return FromFields(text, fields);
    }

    /// <summary>-Mount as a hashtable: @{ type = 'bind'; source = '/srv'; target = '/data'; readonly = $true }.</summary>
    public static ContainerMount FromDictionary(IDictionary table)
    {
        var text = string.Join(',', table.Keys.Cast<object>().Select(k => $"{k}={table[k]}"));
        var fields = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in table)
            if (!fields.TryAdd(entry.Key.ToString() ?? "", entry.Value switch { null => null, bool b => b ? "true" : "false", var v => Convert.ToString(v, CultureInfo.InvariantCulture) }))
                throw Errors.Errors.InvalidMountOption(text, entry.Key.ToString() ?? "", "each key is given once");
        return FromFields(text, fields);
    }

    /// <summary>-Tmpfs: /run, or /run:size=64m,mode=1777 with tmpfs's flags (noexec, nosuid, nodev by default, as docker's).</summary>
    public static ContainerMount ParseTmpfs(string text)
    {
        var colon = text.IndexOf(':');
        var (target, options) = colon < 0 ? (text, "") : (text[..colon], text[(colon + 1)..]);
        long? size = null;
        int? mode = null;
        bool? readOnly = null;
        List<string> flags = [];
        foreach (var option in options.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = option.IndexOf('=');
            var (key, value) = equals < 0 ? (option, "") : (option[..equals], option[(equals + 1)..]);
            switch (key)
            {
                case "size":
                    size = TmpfsSize(text, value);
                    break;
                case "mode":
                    mode = TmpfsMode(text, value);
                    break;
                case "ro" or "rw":
                    readOnly = key == "ro";
                    break;
                case var flag when TmpfsFlagNames.Contains(flag) && equals < 0:
                    flags.Add(flag);
                    break;
                default:
                    throw Errors.Errors.InvalidMountOption(text, option, "a tmpfs takes size=, mode=, ro, rw and mount flags (noexec, nosuid, nodev, exec...)");
            }
        }
        return Tmpfs(text, target, size, mode, readOnly == true, flags);
    }

    private static ContainerMount FromFields(string text, Dictionary<string, string?> fields)
    {
        string? Take(params string[] keys)
        {
            string? found = null;
            foreach (var key in keys)
                if (fields.Remove(key, out var value))
                    found = found == null ? value ?? "" : throw Errors.Errors.InvalidMountOption(text, key, $"{string.Join(" and ", keys)} name the same thing: give one");
            return found;
        }
        bool Flag(params string[] keys) => Take(keys) is { } value && Boolean(text, keys[0], value);

        var typeName = Take("type") ?? "volume";
        var source = Take("source", "src");
        var target = Take("target", "destination", "dst") ?? throw Errors.Errors.InvalidMountSpec(text, "it has no target");
        var readOnly = Flag("readonly", "ro");
        ContainerMount mount;
        switch (typeName.ToLowerInvariant())
        {
            case "bind":
                if (string.IsNullOrEmpty(source))
                    throw Errors.Errors.InvalidMountSpec(text, "a bind needs its source");
                if (!source.StartsWith('/'))
                    throw Errors.Errors.InvalidMountSpec(text, $"a bind's source is an absolute host path, not '{source}'");
                var propagation = Take("bind-propagation");
                if (propagation != null && !Propagations.Contains(propagation))
                    throw Errors.Errors.InvalidMountOption(text, $"bind-propagation={propagation}", "it is private, rprivate, shared, rshared, slave or rslave");
                mount = new ContainerMount { Type = MountType.Bind, Source = source, Target = Target(text, target), ReadOnly = readOnly, Propagation = propagation };
                break;
            case "volume":
                if (!string.IsNullOrEmpty(source))
                    VolumeNames.Check(source);
                var subpath = Take("volume-subpath");
                if (subpath != null && string.IsNullOrEmpty(source))
                    throw Errors.Errors.InvalidMountSpec(text, "volume-subpath needs a named volume as its source");
                mount = new ContainerMount
                {
                    Type = MountType.Volume,
                    Source = string.IsNullOrEmpty(source) ? null : source,
                    Target = Target(text, target),
                    ReadOnly = readOnly,
                    NoCopy = Flag("volume-nocopy"),
                    Subpath = subpath == null ? null : Subpath(text, subpath),
                    Anonymous = string.IsNullOrEmpty(source),
                };
                break;
            case "tmpfs":
                if (!string.IsNullOrEmpty(source))
                    throw Errors.Errors.InvalidMountSpec(text, "a tmpfs has no source");
                var size = Take("tmpfs-size") is { } sizeText ? TmpfsSize(text, sizeText) : (long?)null;
                var mode = Take("tmpfs-mode") is { } modeText ? TmpfsMode(text, modeText) : (int?)null;
                mount = Tmpfs(text, target, size, mode, readOnly, []);
                break;
            default:
                throw Errors.Errors.InvalidMountSpec(text, $"its type '{typeName}' is not bind, volume or tmpfs");
        }
        // docker's consistency is for macOS: accepted, and means nothing here
        Take("consistency");
        if (fields.Count > 0)
            throw Errors.Errors.InvalidMountOption(text, fields.Keys.First(), $"a {mount.Type.ToString().ToLowerInvariant()} mount does not take it");
        return mount;
    }

    private static ContainerMount Tmpfs(string text, string target, long? size, int? mode, bool readOnly, List<string> flags)
    {
        // docker's defaults, each of which the user may turn round
        foreach (var (off, on) in new[] { ("noexec", "exec"), ("nosuid", "suid"), ("nodev", "dev") })
            if (!flags.Contains(off) && !flags.Contains(on))
                flags.Add(off);
        return new ContainerMount { Type = MountType.Tmpfs, Target = Target(text, target), TmpfsSize = size, TmpfsMode = mode, ReadOnly = readOnly, TmpfsFlags = flags };
    }

    /// <summary>A bind's source, as docker's short form tells it from a volume's name: a path, absolute or starting with .</summary>
    private static bool IsPath(string source) => source.StartsWith('/') || source.StartsWith('.');

    private static string Target(string text, string target)
    {
        if (!target.StartsWith('/'))
            throw Errors.Errors.InvalidMountSpec(text, $"its target '{target}' is not an absolute path: give one that starts with '/'");
        var clean = "/" + string.Join('/', target.Split('/', StringSplitOptions.RemoveEmptyEntries));
        if (clean == "/")
            throw Errors.Errors.InvalidMountSpec(text, "its target cannot be '/'");
        return clean;
    }

    private static string Subpath(string text, string subpath)
    {
        var parts = subpath.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToList();
        if (subpath.StartsWith('/') || parts.Contains("..") || parts.Count == 0)
            throw Errors.Errors.InvalidMountSpec(text, $"volume-subpath '{subpath}' is not a relative path inside the volume");
        return string.Join('/', parts);
    }

    private static long TmpfsSize(string text, string value) =>
        Text.ByteSize.TryParse(value, out var bytes) && bytes > 0
            ? bytes
            : throw Errors.Errors.InvalidMountOption(text, $"size={value}", "a tmpfs size is a size (64m, 1g, 67108864)");

    private static int TmpfsMode(string text, string value)
    {
        try
        {
            var mode = Convert.ToInt32(value, 8);
            if (mode is >= 0 and <= 0b111_111_111_111)
                return mode;
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
        }
        throw Errors.Errors.InvalidMountOption(text, $"mode={value}", "a tmpfs mode is octal (1777, 0755)");
    }

    private static bool Boolean(string text, string key, string value) => value.ToLowerInvariant() switch
    {
        "" or "true" or "1" => true,
        "false" or "0" => false,
        _ => throw Errors.Errors.InvalidMountOption(text, $"{key}={value}", "it is true or false"),
    };

    /// <summary>Comma-separated fields, a field in double quotes holding commas of its own (docker reads --mount as CSV).</summary>
    private static IEnumerable<string> SplitFields(string text)
    {
        var field = new System.Text.StringBuilder();
        var quoted = false;
        foreach (var c in text)
        {
            if (c == '"')
                quoted = !quoted;
            else if (c == ',' && !quoted)
            {
                if (field.Length > 0)
                    yield return field.ToString();
                field.Clear();
            }
            else
                field.Append(c);
        }
        if (quoted)
            throw Errors.Errors.InvalidMountSpec(text, "a quote is not closed");
        if (field.Length > 0)
            yield return field.ToString();
    }

    private static string SelinuxWarning(string text, string option) =>
        File.Exists("/sys/fs/selinux/enforce")
            ? $"'{option}' in '{text}' is ignored: relabelling for SELinux is not supported yet."
            : $"'{option}' in '{text}' is ignored: this host has no SELinux.";
}
