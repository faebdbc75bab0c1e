using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Container.Tests.Registries;

/// <summary>HTTP handlers that trust exactly the CA given: neither the system's nor any other.</summary>
internal static class CertificateTrust
{
    /// <summary>Trusts only the CA in caPem; with null, trusts no CA at all.</summary>
    public static SocketsHttpHandler OnlyHandler(string? caPem)
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        if (caPem != null)
            policy.CustomTrustStore.ImportFromPemFile(caPem);
        return new SocketsHttpHandler
        {
            UseProxy = false, // 127.0.0.1 only, whatever the environment's proxy
            SslOptions = new SslClientAuthenticationOptions
            {
                CertificateChainPolicy = policy,
            },
        };
    }
}
