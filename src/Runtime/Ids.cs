using System.Security.Cryptography;

namespace Container.Runtime;

/// <summary>Container and image ids: 64 hex digits, shown as their first 12.</summary>
public static class Ids
{
    public const int ShortLength = 12;

    public static string New() => Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();

    public static string Short(string id)
    {
        var hex = Hex(id);
        return hex.Length > ShortLength ? hex[..ShortLength] : hex;
    }

    /// <summary>An id's hex digits: an image id or digest without its "sha256:".</summary>
    public static string Hex(string id) => id.StartsWith("sha256:", StringComparison.Ordinal) ? id["sha256:".Length..] : id;

    public static bool IsHex(string text) => text.Length > 0 && text.All(Uri.IsHexDigit);
}
