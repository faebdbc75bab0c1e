namespace Container.Runtime.Text;

/// <summary>
/// Durations as docker writes them in its status column ("5 minutes", "About an hour"), and
/// as users give them: docker's "1m30s", "500ms", "2h", a TimeSpan's "00:01:30", or seconds.
/// </summary>
public static class HumanDuration
{
    private static readonly (string Unit, double Seconds)[] Units =
        [("ms", 0.001), ("h", 3600), ("m", 60), ("s", 1), ("us", 0.000001), ("µs", 0.000001), ("ns", 0.000000001)];

    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
            return false;
        if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
        {
            duration = TimeSpan.FromSeconds(seconds);
            return seconds >= 0;
        }
        if (text.Contains(':'))
            return TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out duration) && duration >= TimeSpan.Zero;
        // docker's (Go's) form: numbers, each with its unit
        var total = 0.0;
        var at = 0;
        while (at < text.Length)
        {
            var start = at;
            while (at < text.Length && (char.IsAsciiDigit(text[at]) || text[at] == '.'))
                at++;
            if (at == start || !double.TryParse(text[start..at], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value))
                return false;
            var unit = Units.FirstOrDefault(u => text.AsSpan(at).StartsWith(u.Unit, StringComparison.Ordinal));
            if (unit.Unit == null)
                return false;
            total += value * unit.Seconds;
            at += unit.Unit.Length;
        }
        duration = TimeSpan.FromSeconds(total);
        return true;
    }

    /// <summary>"2 minutes ago", for a past moment.</summary>
    public static string Ago(DateTimeOffset moment) => Format(DateTimeOffset.UtcNow - moment) + " ago";

    public static string Format(TimeSpan d)
    {
        var seconds = (long)d.TotalSeconds;
        if (seconds < 1)
            return "Less than a second";
        if (seconds == 1)
            return "1 second";
        if (seconds < 60)
            return $"{seconds} seconds";
        var minutes = (long)d.TotalMinutes;
        if (minutes == 1)
            return "About a minute";
        if (minutes < 60)
            return $"{minutes} minutes";
        var hours = (long)Math.Round(d.TotalHours);
        if (hours == 1)
            return "About an hour";
        if (hours < 48)
            return $"{hours} hours";
        if (hours < 24 * 7 * 2)
            return $"{hours / 24} days";
        if (hours < 24 * 30 * 2)
            return $"{hours / 24 / 7} weeks";
        if (hours < 24 * 365 * 2)
            return $"{hours / 24 / 30} months";
        return $"{hours / 24 / 365} years";
    }
}
