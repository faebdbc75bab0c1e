using System.Collections;
using System.Globalization;
using System.Numerics;

namespace Container.Runtime.Containers;

/// <summary>How a kind of limit value is given and shown: a size, a count, CPUs, a list, rates by device.</summary>
internal sealed class LimitUnit<T>
{
    /// <summary>A given value (not null) read for the named limit; InvalidLimit when it is not of this unit.</summary>
    public required Func<object, string, T> Parse { get; init; }

    public required Func<T, string> Describe { get; init; }

    public Func<T, T, T> Merge { get; init; } = (_, change) => change;
}

/// <summary>The units of <see cref="LimitTable"/>'s limits.</summary>
internal static class LimitUnits
{
    /// <summary>Bytes: PowerShell's 64MB (a number already) or docker's "64m"; -1 is unlimited.</summary>
    public static readonly LimitUnit<long?> Bytes = new()
    {
        Parse = (given, limit) => given is string text ? ResourceLimits.ParseSize(text, limit) : Integer(given, limit),
        Describe = bytes => bytes == -1 ? "unlimited" : Text.ByteSize.FormatBinary(bytes!.Value),
    };

    /// <summary>A whole number, -1 for none.</summary>
    public static readonly LimitUnit<long?> Count = new()
    {
        Parse = Integer,
        Describe = count => count!.Value.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>A number of CPUs, fractional: 1.5.</summary>
    public static readonly LimitUnit<double?> Cpus = new()
    {
        Parse = (given, limit) => given switch
        {
            string text => ResourceLimits.ParseCpus(text),
            double or float or long or int => Convert.ToDouble(given, CultureInfo.InvariantCulture),
            _ => throw Errors.Errors.InvalidLimit(limit, Convert.ToString(given, CultureInfo.InvariantCulture) ?? "", "a number of CPUs (1.5)"),
        },
        Describe = cpus => cpus!.Value.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>A list of CPUs or memory nodes as the kernel writes it: "0-2,4".</summary>
    public static readonly LimitUnit<string?> List = new()
    {
        Parse = (given, _) => given.ToString(),
        Describe = list => list!,
    };

    public static readonly LimitUnit<IReadOnlyDictionary<string, ulong>?> BytesPerSecond = Rates(
        (text, limit) => ResourceLimits.ParseSize(text, limit), bytes => Text.ByteSize.FormatBinary((long)bytes) + "/s");

    public static readonly LimitUnit<IReadOnlyDictionary<string, ulong>?> OperationsPerSecond = Rates(
        (text, limit) => long.TryParse(text, out var n) ? n : throw Errors.Errors.InvalidLimit(limit, text, "a number of operations per second"),
        count => $"{count}/s");

    /// <summary>A number from 0 to what T holds; the limit's own range is checked with the rest.</summary>
    public static LimitUnit<T?> Natural<T>() where T : struct, IBinaryInteger<T>, IMinMaxValue<T> => new()
    {
        Parse = (given, limit) =>
        {
            var value = Integer(given, limit)!.Value;
            return value >= 0 && ulong.CreateChecked(value) <= ulong.CreateChecked(T.MaxValue)
                ? T.CreateChecked(value)
                : throw Errors.Errors.InvalidLimit(limit, value.ToString(CultureInfo.InvariantCulture), $"a number from 0 to {T.MaxValue}");
        },
        Describe = value => value!.Value.ToString(null, CultureInfo.InvariantCulture),
    };

    private static long? Integer(object given, string limit) => given switch
    {
        long n => n,
        int n => n,
        string text when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => n,
        _ => throw Errors.Errors.InvalidLimit(limit, Convert.ToString(given, CultureInfo.InvariantCulture) ?? "", "a whole number"),
    };

    /// <summary>
    /// Rates by device path (@{ '/dev/sda' = '1mb' }), each above zero; none named is none
    /// given. A change sets the devices it names and leaves the others.
    /// </summary>
    private static LimitUnit<IReadOnlyDictionary<string, ulong>?> Rates(Func<string, string, long> parseRate, Func<ulong, string> describeRate) => new()
    {
        Parse = (given, limit) =>
        {
            if (given is not IDictionary byDevice)
                throw Errors.Errors.InvalidLimit(limit, given.ToString() ?? "", "rates by device: @{ '/dev/sda' = ... }");
            var rates = new Dictionary<string, ulong>();
            foreach (DictionaryEntry entry in byDevice)
            {
                var text = entry.Value?.ToString() ?? "";
                var rate = parseRate(text, limit);
                rates[entry.Key.ToString() ?? ""] = rate > 0 ? (ulong)rate : throw Errors.Errors.InvalidLimit(limit, text, "a positive rate");
            }
            return rates.Count > 0 ? rates : null;
        },
        Describe = byDevice => string.Join(" ", byDevice!.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}={describeRate(kv.Value)}")),
        Merge = (current, change) =>
        {
            var merged = new Dictionary<string, ulong>(current!);
            foreach (var (device, rate) in change!)
                merged[device] = rate;
            return merged;
        },
    };
}
