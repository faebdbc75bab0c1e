using System.Runtime.InteropServices;

namespace Container.Runtime.Images;

/// <summary>
/// A platform as docker writes it (linux/amd64, linux/arm64/v8): what picks one manifest of a
/// manifest list or OCI index; this machine's by default.
/// </summary>
public sealed record ImagePlatform(string Os, string Architecture, string? Variant = null)
{
    public static ImagePlatform Host { get; } = new("linux", RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        System.Runtime.InteropServices.Architecture.Arm => "arm",
        System.Runtime.InteropServices.Architecture.X86 => "386",
        System.Runtime.InteropServices.Architecture.S390x => "s390x",
        System.Runtime.InteropServices.Architecture.Ppc64le => "ppc64le",
        _ => "amd64",
    });

    public static ImagePlatform Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length is < 2 or > 3 || parts.Any(p => p.Length == 0))
            throw Errors.Errors.InvalidArgument("InvalidPlatform", $"'{text}' is not a platform: give os/architecture[/variant], as linux/arm64.", text);
        return new ImagePlatform(parts[0], parts[1], parts.Length == 3 ? parts[2] : null);
    }

    /// <summary>The manifest of a list for this platform: the variant matched when one is asked for (and a list's entry without one taken for any).</summary>
    public Descriptor? Pick(IEnumerable<Descriptor> manifests) =>
        manifests.FirstOrDefault(m => m.Platform is { } p && p.Os == Os && p.Architecture == Architecture && (Variant == null || p.Variant == null || p.Variant == Variant));

    public override string ToString() => Variant == null ? $"{Os}/{Architecture}" : $"{Os}/{Architecture}/{Variant}";
}
