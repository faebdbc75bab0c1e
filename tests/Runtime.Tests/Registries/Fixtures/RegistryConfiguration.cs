using System.Security.Cryptography;
using System.Text;

namespace Container.Tests.Registries;

/// <summary>The YAML config of a test's docker-registry: its own storage, address, and auth; nothing of the host's.</summary>
internal static class RegistryConfiguration
{
    /// <summary>The header each of its responses carries, with the value given as identity.</summary>
    public const string IdentityHeader = "X-Local-Registry";

    /// <param name="identity">the value of <see cref="IdentityHeader"/>: tells its answers from another listener's on the port</param>
    /// <param name="tlsDir">the directory of server.pem and server.key, or null for plain HTTP</param>
    /// <param name="tokens">the token server of <see cref="RegistryOptions.Token"/>, or null without token auth</param>
    public static string Yaml(RegistryOptions options, string address, string identity, string dataDir, string htpasswd, string? tlsDir,
        TokenServer? tokens = null)
    {
        var yaml = new StringBuilder($"""
            version: 0.1
            log:
              level: warn
              accesslog:
                disabled: true
            storage:
              filesystem:
                rootdirectory: {Quoted(dataDir)}
              delete:
                enabled: true
            http:
              addr: {address}
              secret: {Convert.ToHexString(RandomNumberGenerator.GetBytes(16))}
              headers:
                {IdentityHeader}: [{identity}]

            """);
        if (tlsDir != null)
            yaml.Append($"""
                  tls:
                    certificate: {Quoted(Path.Combine(tlsDir, "server.pem"))}
                    key: {Quoted(Path.Combine(tlsDir, "server.key"))}

                """);
        if (options.Basic != null)
            yaml.Append($"""
                auth:
                  htpasswd:
                    realm: test
                    path: {Quoted(htpasswd)}

                """);
        if (tokens != null)
            yaml.Append($"""
                auth:
                  token:
                    realm: {Quoted(tokens.Realm.ToString())}
                    service: {TokenServer.Service}
                    issuer: {TokenServer.Issuer}
                    rootcertbundle: {Quoted(tokens.Certificate)}

                """);
        return yaml.ToString();
    }

    // a double-quoted YAML scalar is a JSON string
    private static string Quoted(string path) => System.Text.Json.JsonSerializer.Serialize(path);
}
