using Container.Tests.Fixtures;

namespace Container.Tests.Registries;

/// <summary>
/// A CA made with openssl for one registry, and the server certificate it signs for
/// 127.0.0.1 and localhost. Short-lived, EC keys: cheap to make per test.
/// </summary>
internal sealed class TestCertificateAuthority
{
    public string Certificate { get; }
    public string ServerCertificate { get; }
    public string ServerKey { get; }

    private TestCertificateAuthority(string dir)
    {
        Certificate = Path.Combine(dir, "ca.pem");
        ServerCertificate = Path.Combine(dir, "server.pem");
        ServerKey = Path.Combine(dir, "server.key");
    }

    /// <summary>Makes the CA and the server's certificate in dir (which must exist).</summary>
    public static TestCertificateAuthority Make(string dir)
    {
        var ca = new TestCertificateAuthority(dir);
        var caKey = Path.Combine(dir, "ca.key");
        var request = Path.Combine(dir, "server.csr");
        var extensions = Path.Combine(dir, "server.ext");
        string[] ecKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
        PeerImages.Run("openssl", ["req", "-x509", .. ecKey, "-keyout", caKey, "-out", ca.Certificate, "-days", "7",
            "-subj", "/CN=registry test CA", "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign"]);
        PeerImages.Run("openssl", ["req", .. ecKey, "-keyout", ca.ServerKey, "-out", request, "-subj", "/CN=localhost"]);
        File.WriteAllText(extensions, """
            subjectAltName = IP:127.0.0.1, DNS:localhost
            basicConstraints = CA:FALSE
            keyUsage = critical, digitalSignature
            extendedKeyUsage = serverAuth
            """);
        PeerImages.Run("openssl", ["x509", "-req", "-in", request, "-CA", ca.Certificate, "-CAkey", caKey,
            "-set_serial", "0x" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)),
            "-days", "7", "-extfile", extensions, "-out", ca.ServerCertificate]);
        return ca;
    }
}
