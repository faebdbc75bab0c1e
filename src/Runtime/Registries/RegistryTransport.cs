using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Container.Runtime.Registries;

/// <summary>Where TLS trust and plain HTTP are decided, as docker and podman decide them.</summary>
public sealed record RegistryTransportOptions
{
    /// <summary>Directories of per-registry CAs (certs.d/&lt;host:port&gt;/*.crt), searched in order.</summary>
    public IReadOnlyList<string> CertificateDirectories { get; init; } = ["/etc/containers/certs.d", "/etc/docker/certs.d"];

    /// <summary>Registries that may be reached over plain HTTP, or TLS unverified (docker's insecure-registries), by host[:port].</summary>
    public IReadOnlyList<string> InsecureRegistries { get; init; } = [];

    /// <summary>-SkipTlsVerify: any certificate is taken, for every registry.</summary>
    public bool SkipTlsVerify { get; init; }

    /// <summary>CONTAINER_CERTS_D (before the system's) and CONTAINER_INSECURE_REGISTRIES (comma-separated), read now.</summary>
    public static RegistryTransportOptions FromEnvironment()
    {
        var options = new RegistryTransportOptions();
        if (Environment.GetEnvironmentVariable("CONTAINER_CERTS_D") is { Length: > 0 } certs)
            options = options with { CertificateDirectories = [certs, .. options.CertificateDirectories] };
        if (Environment.GetEnvironmentVariable("CONTAINER_INSECURE_REGISTRIES") is { Length: > 0 } insecure)
            options = options with { InsecureRegistries = insecure.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) };
        return options;
    }

    /// <summary>Whether a certificate the registry shows is taken unverified: -SkipTlsVerify, or a registry configured insecure.</summary>
    public bool SkipsVerification(string registry) => SkipTlsVerify || InsecureRegistries.Contains(registry, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Whether plain HTTP is allowed, when the registry speaks no TLS: for the registries
    /// configured insecure and, as the docker daemon allows by default, for localhost and
    /// 127.0.0.0/8 (whose TLS, when they speak it, is still verified). Never for any other.
    /// </summary>
    public bool AllowsPlainHttp(string registry)
    {
        if (InsecureRegistries.Contains(registry, StringComparer.OrdinalIgnoreCase))
            return true;
        var host = HostOf(registry);
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
               || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
    }

    private static string HostOf(string registry)
    {
        if (registry.StartsWith('['))
            return registry[..(registry.IndexOf(']') + 1)];
        var colon = registry.LastIndexOf(':');
        return colon < 0 ? registry : registry[..colon];
    }

    /// <summary>The certificates a registry's certs.d directories hold.</summary>
    internal X509Certificate2Collection CertificatesFor(string registry)
    {
        var found = new X509Certificate2Collection();
        foreach (var directory in CertificateDirectories.Select(d => Path.Combine(d, registry)).Where(Directory.Exists))
            foreach (var file in Directory.EnumerateFiles(directory, "*.crt"))
                found.ImportFromPemFile(file);
        return found;
    }
}

/// <summary>
/// One registry's HTTP connection: https, verified against the system's CAs and the registry's
/// own in certs.d (unverified for one configured insecure); for one that may speak plain HTTP,
/// http when it speaks no TLS at all, decided at the first request and kept.
/// </summary>
internal sealed class RegistryTransport : IDisposable
{
    private const string DistributionApiHeader = "Docker-Distribution-Api-Version";

    private readonly string registry;
    private readonly RegistryTransportOptions options;
    private readonly HttpClient http;
    private readonly object deciding = new();
    private string scheme = "https";
    private volatile bool decided;
    // a certificate was shown: the registry speaks TLS, and a refused one is no reason for http
    private volatile bool spokeTls;

    public RegistryTransport(string registry, RegistryTransportOptions options)
    {
        this.registry = registry;
        this.options = options;
        var unverified = options.SkipsVerification(registry);
        var own = options.CertificatesFor(registry);
        var handler = new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            ConnectTimeout = TimeSpan.FromSeconds(30),
            MaxConnectionsPerServer = 8,
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                {
                    spokeTls = true;
                    return unverified || errors == SslPolicyErrors.None || TrustedByOwn(certificate, errors, own);
                },
            },
        };
        http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("container-pwsh/1");
    }

    /// <summary>The API's base: https://host/v2/ (or http:// for an insecure registry that speaks no TLS).</summary>
    public Uri Url(string path)
    {
        DecideScheme();
        return new($"{scheme}://{ApiHost}/v2/{path}");
    }

    /// <summary>docker.io's API lives at registry-1.docker.io, as docker reaches it.</summary>
    private string ApiHost => registry == Images.ImageReference.DefaultDomain ? "registry-1.docker.io" : registry;

    /// <summary>
    /// Once, before the first request: a registry that may speak plain HTTP is spoken to over http
    /// from then on if it answers GET /v2/ there as a registry does (the Docker-Distribution-Api-Version
    /// header docker's ping looks for), which a TLS server never does; else it is pinged over https,
    /// as docker pings, and one whose answer is no TLS at all gets http too (a proxy's 503, say).
    /// Plain first: a plain server reads a TLS hello as a bad request and closes only after
    /// lingering, which cost the https ping a second, two times in three.
    /// </summary>
    private void DecideScheme()
    {
        if (decided)
            return;
        lock (deciding)
        {
            if (decided)
                return;
            if (options.AllowsPlainHttp(registry) && AnswersAsRegistryOverPlainHttp())
                scheme = "http";
            else if (options.AllowsPlainHttp(registry))
                try
                {
                    using var _ = http.Send(new HttpRequestMessage(HttpMethod.Get, $"https://{ApiHost}/v2/"), HttpCompletionOption.ResponseHeadersRead);
                }
                catch (HttpRequestException e) when (IsTlsFailure(e) && !spokeTls)
                {
                    scheme = "http";
                }
                catch (HttpRequestException)
                {
                    // unreachable: the request itself says so
                }
            decided = true;
        }
    }

    private bool AnswersAsRegistryOverPlainHttp()
    {
        try
        {
            using var answer = http.Send(new HttpRequestMessage(HttpMethod.Get, $"http://{ApiHost}/v2/"), HttpCompletionOption.ResponseHeadersRead);
            return answer.Headers.Contains(DistributionApiHeader);
        }
        catch (HttpRequestException)
        {
            return false; // TLS there, or nothing: the https ping tells
        }
    }

    public HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellation)
    {
        try
        {
            return http.Send(request, HttpCompletionOption.ResponseHeadersRead, cancellation);
        }
        catch (HttpRequestException e)
        {
            throw Errors.Errors.RegistryUnreachable(registry, e.InnerException?.Message ?? e.Message, e);
        }
    }

    /// <summary>A plain request to any URL (a token server's): the same TLS trust, no fallback to http.</summary>
    public HttpResponseMessage SendAnywhere(HttpRequestMessage request, CancellationToken cancellation)
    {
        try
        {
            return http.Send(request, HttpCompletionOption.ResponseHeadersRead, cancellation);
        }
        catch (HttpRequestException e)
        {
            throw Errors.Errors.RegistryUnreachable(request.RequestUri!.Authority, e.InnerException?.Message ?? e.Message, e);
        }
    }

    private static bool IsTlsFailure(HttpRequestException e) =>
        e.InnerException is AuthenticationException || e.InnerException?.InnerException is AuthenticationException
        || e.HttpRequestError == HttpRequestError.SecureConnectionError;

    private static bool TrustedByOwn(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection own)
    {
        if (certificate == null || own.Count == 0 || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
            return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(own);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(new X509Certificate2(certificate));
    }

    public void Dispose() => http.Dispose();
}
