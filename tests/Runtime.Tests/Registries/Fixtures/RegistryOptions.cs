namespace Container.Tests.Registries;

/// <summary>How a <see cref="LocalRegistry"/> is set up: anonymous over plain HTTP unless told.</summary>
public sealed record RegistryOptions
{
    /// <summary>Basic auth: one user in an htpasswd file (bcrypt, as htpasswd -B makes it), realm "test".</summary>
    public (string User, string Password)? Basic { get; init; }

    /// <summary>
    /// Token auth (<c>auth: token</c>): a <see cref="TokenServer"/> of the registry's own grants this
    /// user every action asked; more users can be granted through <see cref="LocalRegistry.Tokens"/>.
    /// Not with <see cref="Basic"/>: a registry has one auth.
    /// </summary>
    public (string User, string Password)? Token { get; init; }

    /// <summary>HTTPS, with a server certificate from a CA made for this registry alone.</summary>
    public bool Tls { get; init; }
}
