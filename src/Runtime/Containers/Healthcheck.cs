namespace Container.Runtime.Containers;

/// <summary>
/// docker's healthcheck: a command run in the container every Interval; Retries failures in
/// a row make it Unhealthy; failures during StartPeriod do not count.
/// </summary>
[System.Text.Json.Serialization.JsonConverter(typeof(HealthcheckConverter))]
public sealed record Healthcheck
{
    /// <summary>The command, run directly (docker's CMD form).</summary>
    public required IReadOnlyList<string> Command { get; init; }

    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    public int Retries { get; init; } = 3;

    public TimeSpan StartPeriod { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// A healthcheck from a user's words: a shell command (docker's --health-cmd), durations
    /// as "30s", "1m30s" or "00:00:30"; what is not given keeps docker's default.
    /// </summary>
    public static Healthcheck Parse(string command, string? interval = null, string? timeout = null, string? startPeriod = null, int? retries = null)
    {
        var defaults = new Healthcheck { Command = [] };
        var healthcheck = new Healthcheck
        {
            Command = ["/bin/sh", "-c", command],
            Interval = Duration(interval, "HealthInterval") ?? defaults.Interval,
            Timeout = Duration(timeout, "HealthTimeout") ?? defaults.Timeout,
            StartPeriod = Duration(startPeriod, "HealthStartPeriod") ?? defaults.StartPeriod,
            Retries = retries ?? defaults.Retries,
        };
        healthcheck.Validate();
        return healthcheck;
    }

    private static TimeSpan? Duration(string? text, string name)
    {
        if (text == null)
            return null;
        return Text.HumanDuration.TryParse(text, out var duration)
            ? duration
            : throw Errors.Errors.InvalidArgument("InvalidHealthcheck", $"'{text}' is not a duration for {name}: give 30s, 1m30s or 00:00:30.", text);
    }

    public void Validate()
    {
        if (Command.Count == 0)
            throw Errors.Errors.InvalidArgument("InvalidHealthcheck", "A healthcheck needs a command.", null);
        if (Interval < TimeSpan.FromMilliseconds(100) || Timeout < TimeSpan.FromMilliseconds(100) || Retries < 1 || StartPeriod < TimeSpan.Zero)
            throw Errors.Errors.InvalidArgument("InvalidHealthcheck",
                "A healthcheck's interval and timeout are at least 100ms, its retries at least 1, its start period not negative.", null);
    }
}

public enum HealthStatus
{
    /// <summary>No healthcheck.</summary>
    None,
    Starting,
    Healthy,
    Unhealthy,
}

/// <summary>One probe of a healthcheck, as docker inspect's State.Health.Log shows it.</summary>
public sealed record HealthcheckResult
{
    public DateTimeOffset Start { get; init; }

    public DateTimeOffset End { get; init; }

    /// <summary>0 healthy, anything else a failure; -1 when the probe timed out.</summary>
    public int ExitCode { get; init; }

    /// <summary>What the probe wrote: its first 4 KiB, "..." after it when there was more.</summary>
    public string Output { get; init; } = "";

    /// <summary>A line for a list view: when, how it ended, what it said first.</summary>
    public override string ToString()
    {
        var firstLine = Output.Split('\n', 2)[0].TrimEnd();
        return $"{End.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} exit {ExitCode} ({(End - Start).TotalMilliseconds:0}ms){(firstLine.Length > 0 ? ": " + firstLine : "")}";
    }
}
