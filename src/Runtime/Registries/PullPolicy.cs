namespace Container.Runtime.Registries;

/// <summary>When a container's image is pulled (docker and podman run --pull).</summary>
public enum PullPolicy
{
    /// <summary>Only when the store lacks it (docker's and podman's default).</summary>
    Missing,

    /// <summary>Every time, so that the tag's newest image is used.</summary>
    Always,

    /// <summary>Never: a missing image is an error.</summary>
    Never,
}

public static class PullPolicies
{
    /// <summary>The policy when none is given: missing, unless CONTAINER_PULL_POLICY says another (podman's pull_policy, as a variable).</summary>
    public const string Variable = "CONTAINER_PULL_POLICY";

    public static PullPolicy Default =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? Enum.TryParse<PullPolicy>(value, ignoreCase: true, out var policy) && Enum.IsDefined(policy)
                ? policy
                : throw Errors.Errors.InvalidArgument("InvalidPullPolicy", $"{Variable} is '{value}': use missing, always or never.", value)
            : PullPolicy.Missing;
}
