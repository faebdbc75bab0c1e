using System.Globalization;

namespace Container.Runtime.Text;

/// <summary>
/// Sizes: printed as docker prints them (files and images in decimal units, three significant
/// digits: "4.26MB"; memory in binary ones: "64MiB"), read as docker reads them ("64m", "1g", "512k" are binary units) and as PowerShell
/// writes them (64MB is a number of bytes already).
/// </summary>
public static class ByteSize
{
    /// <summary>Reads "67108864", "64m", "64mb", "1.5g", "512k", "100b"; false for anything else.</summary>
    public static bool TryParse(string text, out long bytes)
    {
        bytes = 0;
        var s = text.Trim().ToLowerInvariant();
        if (s.EndsWith('b'))
            s = s[..^1];
        long unit = 1;
        if (s.Length > 0 && "kmgtp".Contains(s[^1]))
        {
            unit = 1L << (10 * ("kmgtp".IndexOf(s[^1]) + 1));
            s = s[..^1];
        }
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0 || double.IsInfinity(value))
            return false;
        var result = value * unit;
        if (result > long.MaxValue)
            return false;
        bytes = (long)result;
        return true;
    }

    private static readonly string[] DecimalUnits = ["B", "kB", "MB", "GB", "TB", "PB"];
    private static readonly string[] BinaryUnits = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

    /// <summary>A file's or an image's size: "4.26MB".</summary>
    public static string Format(long bytes) => Format(bytes, 1000, DecimalUnits);

    /// <summary>Memory, as docker stats shows it: "64MiB".</summary>
    public static string FormatBinary(long bytes) => Format(bytes, 1024, BinaryUnits);

    private static string Format(long bytes, int step, string[] units)
    {
        double value = bytes;
        var unit = 0;
        while (value >= step && unit < units.Length - 1)
        {
            value /= step;
            unit++;
        }
        var digits = value >= 100 ? "0" : value >= 10 ? "0.#" : "0.##";
        return value.ToString(digits, CultureInfo.InvariantCulture) + units[unit];
    }
}
