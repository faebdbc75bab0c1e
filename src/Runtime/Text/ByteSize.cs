using System.Globalization;

namespace Container.Runtime.Text;

/// <summary>Sizes as docker prints them: decimal units, three significant digits ("4.26MB").</summary>
public static class ByteSize
{
    private static readonly string[] Units = ["B", "kB", "MB", "GB", "TB", "PB"];

    public static string Format(long bytes)
    {
        double value = bytes;
        var unit = 0;
        while (value >= 1000 && unit < Units.Length - 1)
        {
            value /= 1000;
            unit++;
        }
        var digits = value >= 100 ? "0" : value >= 10 ? "0.#" : "0.##";
        return value.ToString(digits, CultureInfo.InvariantCulture) + Units[unit];
    }
}
