using System.Text.RegularExpressions;

namespace Container.Runtime.Images;

/// <summary>
/// An image reference as Docker parses it: <c>name</c>, <c>name:tag</c>,
/// <c>registry:5000/ns/name:tag</c>, <c>name@sha256:...</c>. Names are normalised
/// the same way (<c>busybox</c> is <c>docker.io/library/busybox:latest</c>) and shown
/// in their familiar form. Parsed once and formatted once: references are compared, and
/// shown, far more often than they are made. Two references are equal when their parts are.
/// </summary>
public sealed partial record ImageReference
{
    public const string DefaultDomain = "docker.io";
    public const string DefaultTag = "latest";
    private const string OfficialPrefix = "library/";

    private readonly string full;
    private readonly string familiar;

    private ImageReference(string domain, string path, string? tag, string? digest)
    {
        Domain = domain;
        Path = path;
        Tag = tag;
        Digest = digest;
        Repository = $"{domain}/{path}";
        FamiliarRepository = domain != DefaultDomain ? Repository : path.StartsWith(OfficialPrefix, StringComparison.Ordinal) ? path[OfficialPrefix.Length..] : path;
        var suffix = (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
        full = Repository + suffix;
        familiar = FamiliarRepository + suffix;
    }

    [GeneratedRegex(@"^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*$")]
    private static partial Regex PathComponent();

    [GeneratedRegex(@"^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?$|^\[[a-fA-F0-9:]+\](?::[0-9]+)?$")]
    private static partial Regex DomainPattern();

    [GeneratedRegex(@"^[\w][\w.-]{0,127}$")]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"^sha256:[a-f0-9]{64}$")]
    private static partial Regex DigestPattern();

    /// <summary>The registry, e.g. docker.io or localhost:5000.</summary>
    public string Domain { get; }

    /// <summary>The repository within the registry, e.g. library/busybox.</summary>
    public string Path { get; }

    /// <summary>The tag; latest when neither tag nor digest was given, null for a digest alone.</summary>
    public string? Tag { get; }

    public string? Digest { get; }

    /// <summary>domain/path, e.g. docker.io/library/busybox.</summary>
    public string Repository { get; }

    /// <summary>What docker shows: busybox, not docker.io/library/busybox.</summary>
    public string FamiliarRepository { get; }

    /// <summary>The full, normalised reference: docker.io/library/busybox:latest.</summary>
    public override string ToString() => full;

    /// <summary>The reference as docker shows it: busybox:latest.</summary>
    public string ToFamiliarString() => familiar;

    public static ImageReference Parse(string text)
    {
        if (!TryParse(text, out var reference, out var error))
            throw Errors.Errors.InvalidImageReference(text, error);
        return reference;
    }

    public static bool TryParse(string text, out ImageReference reference, out string error)
    {
        reference = null!;
        error = "";
        if (string.IsNullOrWhiteSpace(text))
            return Fail("it is empty", out error);
        var rest = text;
        string? digest = null;
        var at = rest.IndexOf('@');
        if (at >= 0)
        {
            digest = rest[(at + 1)..];
            rest = rest[..at];
            if (!DigestPattern().IsMatch(digest))
                return Fail($"'{digest}' is not a sha256 digest", out error);
        }
        string? tag = null;
        var lastSlash = rest.LastIndexOf('/');
        var colon = rest.LastIndexOf(':');
        if (colon > lastSlash)
        {
            tag = rest[(colon + 1)..];
            rest = rest[..colon];
            if (!TagPattern().IsMatch(tag))
                return Fail($"'{tag}' is not a valid tag", out error);
        }
        if (rest.Length == 0)
            return Fail("the name is empty", out error);
        if (rest.Length > 255)
            return Fail("the name is longer than 255 characters", out error);

        var components = rest.Split('/');
        string domain;
        int first;
        if (components.Length > 1 && IsDomain(components[0]))
        {
            domain = components[0];
            first = 1;
            if (!DomainPattern().IsMatch(domain))
                return Fail($"'{domain}' is not a valid registry", out error);
        }
        else
        {
            domain = DefaultDomain;
            first = 0;
        }
        var path = components[first..];
        foreach (var component in path)
        {
            if (component.Any(char.IsUpper))
                return Fail("repository names must be lowercase", out error);
            if (!PathComponent().IsMatch(component))
                return Fail($"'{component}' is not a valid name component", out error);
        }
        var joined = string.Join('/', path);
        if (domain == DefaultDomain && path.Length == 1)
            joined = OfficialPrefix + joined;
        if (tag == null && digest == null)
            tag = DefaultTag;
        reference = new ImageReference(domain, joined, tag, digest);
        return true;
    }

    /// <summary>
    /// Whether the text names its registry (localhost:5000/app, quay.io/x/y) rather than being a
    /// short name (app, team/app), which docker takes from docker.io and podman searches for.
    /// </summary>
    public static bool NamesRegistry(string text)
    {
        var slash = text.IndexOf('/');
        return slash > 0 && IsDomain(text[..slash]);
    }

    /// <summary>Docker's rule: a first component with a dot or a port, localhost, or an upper-case letter is a registry.</summary>
    private static bool IsDomain(string component) =>
        component.Contains('.') || component.Contains(':') || component == "localhost" || component.Any(char.IsUpper);

    private static bool Fail(string why, out string error)
    {
        error = why;
        return false;
    }
}
