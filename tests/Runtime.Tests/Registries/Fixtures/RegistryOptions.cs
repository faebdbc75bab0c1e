namespace Container.Tests.Registries;

/// <summary>How a <see cref="LocalRegistry"/> is set up: anonymous over plain HTTP unless told.</summary>
public sealed record RegistryOptions
{
    /// <summary>Basic auth: one user in an htpasswd file (bcrypt, as htpasswd -B makes it), realm "test".</summary>
    public (string User, string Password)? Basic { get; init; }

    /// <summary>HTTPS, with a server certificate from a CA made for this registry alone.</summary>
    public bool Tls { get; init; }
}
