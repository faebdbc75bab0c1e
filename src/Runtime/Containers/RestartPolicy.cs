namespace Container.Runtime.Containers;

public enum RestartMode
{
    No,
    OnFailure,
    Always,
    UnlessStopped,
}

/// <summary>docker's --restart: no, on-failure[:max retries], always, unless-stopped.</summary>
public sealed record RestartPolicy(RestartMode Mode, int MaxRetries = 0)
{
    public static readonly RestartPolicy None = new(RestartMode.No);

    public static RestartPolicy Parse(string text)
    {
        var parts = text.Trim().ToLowerInvariant().Split(':', 2);
        var mode = parts[0] switch
        {
            "no" or "" => RestartMode.No,
            "on-failure" => RestartMode.OnFailure,
            "always" => RestartMode.Always,
            "unless-stopped" => RestartMode.UnlessStopped,
            _ => throw Errors.Errors.InvalidArgument("InvalidRestartPolicy",
                $"'{text}' is not a restart policy: use no, on-failure[:N], always or unless-stopped.", text),
        };
        var retries = 0;
        if (parts.Length == 2 && (mode != RestartMode.OnFailure || !int.TryParse(parts[1], out retries) || retries < 0))
            throw Errors.Errors.InvalidArgument("InvalidRestartPolicy", $"'{text}': only on-failure takes a retry count (on-failure:3).", text);
        return new RestartPolicy(mode, retries);
    }

    /// <summary>As the monitor takes it.</summary>
    public override string ToString() => Mode switch
    {
        RestartMode.OnFailure => MaxRetries > 0 ? $"on-failure:{MaxRetries}" : "on-failure",
        RestartMode.Always => "always",
        RestartMode.UnlessStopped => "unless-stopped",
        _ => "no",
    };
}
