using System.Security.Cryptography;

namespace Container.Runtime.Compose.Loading;

/// <summary>
/// The fingerprint of a service's effective configuration, for deciding whether its running
/// containers must be made anew. Taken from the typed service (one shape, maps sorted), so the
/// order the file wrote things in, the form it used, x- extensions and other services change
/// nothing. The content of its secrets and configs counts, by the digest each reference carries,
/// so a secret whose file changed makes its services anew. As docker compose's config-hash, what changes no container is left out: the build
/// (its image is what counts), pull_policy, replicas, depends_on, profiles.
/// </summary>
internal static class ConfigFingerprint
{
    public static string Of(ComposeService service) =>
        Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Counted(service)))).ToLowerInvariant();

    /// <summary>What the fingerprint is taken of, as canonical JSON: a container keeps it, so that a change can name the fields that changed.</summary>
    public static string Counted(ComposeService service)
    {
        var counted = service with
        {
            Name = "",
            Build = null,
            PullPolicy = null,
            DependsOn = ValueMap<ServiceDependency>.Empty,
            Profiles = [],
            Deploy = service.Deploy is { Limits: not null } or { Reservations: not null } ? service.Deploy with { Replicas = null } : null,
            ConfigHash = "",
        };
        return System.Text.Encoding.UTF8.GetString(Json.Serialize(counted));
    }
}
