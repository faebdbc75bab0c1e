namespace Container.Runtime.Images;

/// <summary>The manifest formats an image is written in: Docker's schema 2 or OCI's.</summary>
public enum ManifestFormat
{
    Docker,
    Oci,
}

/// <summary>
/// What a push makes of an image: a manifest format and a layer compression, each null for
/// what the image has (docker push's, podman push's --format and --compression-format).
/// </summary>
public sealed record ImageConversion(ManifestFormat? Format = null, LayerCompression? Compression = null)
{
    public static readonly ImageConversion None = new();

    public static readonly IReadOnlyList<string> Formats = ["Docker", "Oci"];

    public static readonly IReadOnlyList<string> Compressions = ["gzip", "zstd"];

    /// <summary>From the names a user gives (any case; null or empty for none); other names are refused.</summary>
    public static ImageConversion Parse(string? format, string? compression) => new(
        string.IsNullOrEmpty(format) ? null
        : Enum.TryParse<ManifestFormat>(format, ignoreCase: true, out var f) && Formats.Contains(format, StringComparer.OrdinalIgnoreCase) ? f
        : throw Errors.Errors.InvalidArgument("InvalidImageFormat", $"'{format}' is no image format: use {string.Join(" or ", Formats)}.", format),
        string.IsNullOrEmpty(compression) ? null
        : Enum.TryParse<LayerCompression>(compression, ignoreCase: true, out var c) && Compressions.Contains(compression, StringComparer.OrdinalIgnoreCase) ? c
        : throw Errors.Errors.InvalidArgument("InvalidCompression", $"'{compression}' is no layer compression: use {string.Join(" or ", Compressions)}.", compression));
}
