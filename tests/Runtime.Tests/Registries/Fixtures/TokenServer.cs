using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Container.Tests.Registries;

/// <summary>A token asked of a <see cref="TokenServer"/>: by whom (null: anonymous), for which scopes, and what was granted.</summary>
/// <param name="Granted">the scopes the token holds (type:name:actions), or null when the login was refused</param>
public sealed record TokenRequest(string? User, IReadOnlyList<string> Scopes, IReadOnlyList<string>? Granted);

/// <summary>
/// A token server of the tests' own, for a registry's <c>auth: token</c> (the distribution spec's
/// token auth), on 127.0.0.1 at a free port: it checks a Basic login at its realm and answers
/// {"token", "expires_in"} with a JWT signed RS256 by a certificate it made, sent in the JWT's x5c
/// header (the registry trusts it through its rootcertbundle, <see cref="Certificate"/>). A user
/// is granted the actions asked that it holds; anonymous requests and wrong passwords get 401.
/// Every request is kept, for the tests that count them.
/// </summary>
public sealed class TokenServer : IDisposable
{
    public const string Service = "test-registry";
    public const string Issuer = "test-token-server";
    private const int PortAttempts = 5;

    private readonly RSA key = RSA.Create(2048);
    private readonly X509Certificate2 certificate;
    private readonly HttpListener listener;
    private readonly Task serving;
    private readonly Dictionary<string, (string Password, string[] Actions)> users = [];
    private readonly List<TokenRequest> requests = [];

    /// <summary>The PEM file of the signing certificate: the registry's rootcertbundle.</summary>
    public string Certificate { get; }

    /// <summary>Where tokens are asked for: the registry's realm.</summary>
    public Uri Realm { get; }

    /// <summary>The lifetime the answers give (expires_in), in seconds.</summary>
    public int ExpiresIn { get; set; } = 300;

    /// <summary>Starts serving; the certificate's PEM is written in dir (which must exist).</summary>
    public TokenServer(string dir)
    {
        var request = new CertificateRequest("CN=registry test token signer", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        Certificate = Path.Combine(dir, "token-signer.pem");
        File.WriteAllText(Certificate, certificate.ExportCertificatePem());
        (listener, Realm) = Listen();
        serving = Task.Run(Serve);
    }

    /// <summary>A user with its password and the actions it may be granted (as pull, push); a user given again is replaced.</summary>
    public void Grant(string user, string password, params string[] actions)
    {
        lock (users)
            users[user] = (password, actions);
    }

    /// <summary>Every request so far, in order.</summary>
    public IReadOnlyList<TokenRequest> Requests
    {
        get
        {
            lock (requests)
                return [.. requests];
        }
    }

    private static (HttpListener, Uri) Listen()
    {
        for (var attempt = 1; ; attempt++)
        {
            var realm = new Uri($"http://127.0.0.1:{LocalRegistry.FreePort()}/token");
            var listener = new HttpListener();
            listener.Prefixes.Add(new Uri(realm, "/").ToString());
            try
            {
                listener.Start();
                return (listener, realm);
            }
            catch (HttpListenerException) when (attempt < PortAttempts)
            {
                listener.Close(); // taken meanwhile: another port
            }
        }
    }

    private async Task Serve()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return; // stopped
            }
            using var response = context.Response;
            Answer(context.Request, response);
        }
    }

    private void Answer(HttpListenerRequest request, HttpListenerResponse response)
    {
        var scopes = request.QueryString.GetValues("scope")?.SelectMany(s => s.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList() ?? [];
        var user = LoginOf(request.Headers["Authorization"]);
        string[]? held = null;
        lock (users)
            if (user != null && users.TryGetValue(user.Value.User, out var known) && known.Password == user.Value.Password)
                held = known.Actions;
        if (request.Url!.AbsolutePath != Realm.AbsolutePath || request.QueryString["service"] != Service || held == null)
        {
            lock (requests)
                requests.Add(new TokenRequest(user?.User, scopes, null));
            // a token for another service is no question of login
            response.StatusCode = (int)(held == null ? HttpStatusCode.Unauthorized : HttpStatusCode.BadRequest);
            if (held == null)
                response.AddHeader("WWW-Authenticate", "Basic realm=\"token\"");
            return;
        }
        var access = scopes.Select(scope => Granted(scope, held)).OfType<(string Type, string Name, string[] Actions)>().ToList();
        lock (requests)
            requests.Add(new TokenRequest(user!.Value.User, scopes, [.. access.Select(a => $"{a.Type}:{a.Name}:{string.Join(',', a.Actions)}")]));
        var body = JsonSerializer.SerializeToUtf8Bytes(new { token = Token(user.Value.User, access), expires_in = ExpiresIn });
        response.ContentType = "application/json";
        response.OutputStream.Write(body);
    }

    /// <summary>Of a scope (type:name:actions; a name may hold a colon), the actions asked that the user holds; null for none.</summary>
    private static (string, string, string[])? Granted(string scope, string[] held)
    {
        var first = scope.IndexOf(':');
        var last = scope.LastIndexOf(':');
        if (first < 0 || last <= first)
            return null;
        var actions = scope[(last + 1)..].Split(',').Where(held.Contains).ToArray();
        return actions.Length == 0 ? null : (scope[..first], scope[(first + 1)..last], actions);
    }

    private static (string User, string Password)? LoginOf(string? authorization)
    {
        if (authorization == null || !authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
            return null;
        var pair = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..].Trim()));
        var colon = pair.IndexOf(':');
        return colon < 0 ? null : (pair[..colon], pair[(colon + 1)..]);
    }

    /// <summary>A JWT as distribution 2.8 verifies it: RS256, the x5c chain (here one self-signed certificate), issuer, audience, times, access.</summary>
    private string Token(string subject, List<(string Type, string Name, string[] Actions)> access)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = new JsonObject { ["typ"] = "JWT", ["alg"] = "RS256", ["x5c"] = new JsonArray(Convert.ToBase64String(certificate.RawData)) };
        var claims = new JsonObject
        {
            ["iss"] = Issuer,
            ["sub"] = subject,
            ["aud"] = Service,
            ["iat"] = now,
            ["nbf"] = now - 10,
            ["exp"] = now + ExpiresIn,
            ["jti"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(8)),
            ["access"] = new JsonArray([.. access.Select(a => (JsonNode)new JsonObject
            {
                ["type"] = a.Type,
                ["name"] = a.Name,
                ["actions"] = new JsonArray([.. a.Actions.Select(x => (JsonNode)x)]),
            })]),
        };
        var signed = $"{Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString()))}.{Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()))}";
        var signature = key.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{signed}.{Base64Url(signature)}";
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public void Dispose()
    {
        listener.Close();
        serving.Wait();
        certificate.Dispose();
        key.Dispose();
    }
}
