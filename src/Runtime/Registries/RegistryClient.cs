using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Container.Runtime.Images;

namespace Container.Runtime.Registries;

/// <summary>
/// The distribution API of one registry (manifests, blobs, uploads, tags) with its auth: a
/// request goes out anonymous, and a 401's challenge says what to send again: Basic with the
/// login, or a Bearer token from the challenge's realm for the request's scope (fetched with
/// the login, if any), kept per scope until it expires.
/// </summary>
internal sealed partial class RegistryClient(string registry, RegistryLogin? login, RegistryTransport transport) : IDisposable
{
    public const string ManifestAccept = $"{MediaTypes.OciManifest}, {MediaTypes.OciIndex}, {MediaTypes.DockerManifest}, {MediaTypes.DockerManifestList}";

    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset Expires)> tokens = new();
    private readonly ConcurrentDictionary<string, object> fetching = new();
    private volatile AuthChallenge? challenge;

    public string Registry => registry;

    /// <summary>A manifest or index by tag or digest: its bytes, media type and digest (the bytes', whatever the registry says).</summary>
    public (byte[] Content, string MediaType, string Digest) GetManifest(string repository, string reference, CancellationToken cancellation)
    {
        using var response = Send(() => Request(HttpMethod.Get, $"{repository}/manifests/{reference}", accept: ManifestAccept), Pull(repository), cancellation);
        if (response.StatusCode == HttpStatusCode.NotFound)
            throw Errors.Errors.RegistryImageNotFound($"{registry}/{repository}:{reference}");
        Expect(response, HttpStatusCode.OK, "a manifest");
        var content = response.Content.ReadAsByteArrayAsync(cancellation).GetAwaiter().GetResult();
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (string.IsNullOrEmpty(mediaType) || mediaType == "application/json")
            mediaType = JsonNode.Parse(content)?["mediaType"]?.GetValue<string>() ?? MediaTypes.OciManifest;
        return (content, mediaType, Digests.Of(content));
    }

    public bool HasBlob(string repository, string digest, CancellationToken cancellation)
    {
        using var response = Send(() => Request(HttpMethod.Head, $"{repository}/blobs/{digest}"), Pull(repository), cancellation);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return false;
        Expect(response, HttpStatusCode.OK, $"blob {digest}");
        return true;
    }

    /// <summary>
    /// A blob's content as it streams (redirects to storage followed), from byte offset on (a
    /// Range request: 206 when the registry serves the range, 200 when it sends all again); the
    /// caller disposes it and verifies it.
    /// </summary>
    public HttpResponseMessage GetBlob(string repository, string digest, CancellationToken cancellation, long offset = 0)
    {
        var response = Send(() =>
        {
            var request = Request(HttpMethod.Get, $"{repository}/blobs/{digest}");
            if (offset > 0)
                request.Headers.Range = new RangeHeaderValue(offset, null);
            return request;
        }, Pull(repository), cancellation);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            response.Dispose();
            throw Errors.Errors.RegistryImageNotFound($"{registry}/{repository}@{digest}");
        }
        Expect(response, HttpStatusCode.OK, $"blob {digest}");
        return response;
    }

    /// <summary>
    /// Uploads a blob in one request (POST for the session, PUT with the digest), or in chunks
    /// when that one is too large for the registry or a proxy before it (413), or mounts it
    /// from another repository of the registry that has it; true when it was mounted.
    /// </summary>
    public bool PutBlob(string repository, string digest, long size, Func<Stream> open, string? mountFrom, CancellationToken cancellation)
    {
        var query = mountFrom != null ? $"?mount={Uri.EscapeDataString(digest)}&from={Uri.EscapeDataString(mountFrom)}" : "";
        var scope = mountFrom != null ? $"{Push(repository)} repository:{mountFrom}:pull" : Push(repository);
        string location;
        using (var started = Send(() => Request(HttpMethod.Post, $"{repository}/blobs/uploads/{query}", content: new ByteArrayContent([])), scope, cancellation))
        {
            if (started.StatusCode == HttpStatusCode.Created)
                return true;
            Expect(started, HttpStatusCode.Accepted, "an upload session");
            location = started.Headers.Location?.ToString() ?? throw Errors.Errors.RegistryProtocol(registry, "an upload session without a Location");
        }
        using var response = Send(() => Upload(HttpMethod.Put, Closing(location, digest), open(), size), scope, cancellation);
        if (response.StatusCode == HttpStatusCode.RequestEntityTooLarge)
            PutInChunks(repository, digest, size, open, scope, cancellation);
        else
            Expect(response, HttpStatusCode.Created, $"the upload of {digest}");
        return false;
    }

    /// <summary>An upload session's URL (its Location, maybe relative) with ?digest= (or &amp;digest=): the PUT that closes it.</summary>
    private Uri Closing(string location, string digest)
    {
        var target = Resolve(location);
        return new Uri(target + (target.Query.Length > 0 ? "&" : "?") + "digest=" + Uri.EscapeDataString(digest));
    }

    private Uri Resolve(string location) => new(transport.Url(""), location);

    /// <summary>A request whose body is length bytes of content as it streams, as octets.</summary>
    private static HttpRequestMessage Upload(HttpMethod method, Uri target, Stream content, long length)
    {
        var request = new HttpRequestMessage(method, target) { Content = new StreamContent(content, 1 << 16) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        request.Content.Headers.ContentLength = length;
        return request;
    }

    public void PutManifest(string repository, string reference, byte[] content, string mediaType, CancellationToken cancellation)
    {
        using var response = Send(() =>
        {
            var request = Request(HttpMethod.Put, $"{repository}/manifests/{reference}", content: new ByteArrayContent(content));
            request.Content!.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
            return request;
        }, Push(repository), cancellation);
        Expect(response, HttpStatusCode.Created, "the manifest");
    }

    /// <summary>Every tag of a repository.</summary>
    public List<string> Tags(string repository, CancellationToken cancellation)
    {
        try
        {
            return Paged($"{repository}/tags/list?n=1000", "tags", Pull(repository), "the tags", cancellation);
        }
        catch (Errors.ContainerException e) when (e.ErrorId == "RegistryImageNotFound")
        {
            throw Errors.Errors.RegistryImageNotFound($"{registry}/{repository}");
        }
    }

    /// <summary>Every repository of the registry (its catalog; a registry may keep it to some users, or to none).</summary>
    public List<string> Catalog(CancellationToken cancellation) =>
        Paged("_catalog?n=1000", "repositories", "registry:catalog:*", "the catalog", cancellation);

    /// <summary>A list the registry gives page after page (the Link header), each page's strings under key.</summary>
    private List<string> Paged(string first, string key, string scope, string what, CancellationToken cancellation)
    {
        var items = new List<string>();
        var next = first;
        while (next != null)
        {
            var path = next;
            using var response = Send(() => Request(HttpMethod.Get, path), scope, cancellation);
            if (response.StatusCode == HttpStatusCode.NotFound)
                throw Errors.Errors.RegistryImageNotFound($"{registry}/{path}");
            Expect(response, HttpStatusCode.OK, what);
            var list = JsonNode.Parse(response.Content.ReadAsStream(cancellation))?[key]?.AsArray();
            items.AddRange(list?.Select(t => t!.GetValue<string>()) ?? []);
            next = NextPage(response);
        }
        return items;
    }

    /// <summary>Checks the login (docker login's check): GET /v2/, answered 200 once authorized.</summary>
    public void CheckLogin(CancellationToken cancellation)
    {
        using var response = Send(() => Request(HttpMethod.Get, ""), "", cancellation);
        Expect(response, HttpStatusCode.OK, "the API's root");
    }

    /// <summary>The next page of a paged list, from a Link: &lt;/v2/...&gt;; rel="next" header, relative to /v2/.</summary>
    private static string? NextPage(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var links))
            return null;
        foreach (var link in links)
        {
            var start = link.IndexOf('<');
            var end = link.IndexOf('>');
            if (start >= 0 && end > start && link.Contains("rel=\"next\"", StringComparison.Ordinal))
            {
                var url = link[(start + 1)..end];
                var at = url.IndexOf("/v2/", StringComparison.Ordinal);
                return at >= 0 ? url[(at + 4)..] : null;
            }
        }
        return null;
    }

    private static string Pull(string repository) => $"repository:{repository}:pull";

    private static string Push(string repository) => $"repository:{repository}:pull,push";

    private HttpRequestMessage Request(HttpMethod method, string path, string? accept = null, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, transport.Url(path)) { Content = content };
        if (accept != null)
            request.Headers.TryAddWithoutValidation("Accept", accept);
        return request;
    }

    /// <summary>
    /// Sends (again while the answer is transient: <see cref="RegistryRetries"/>), and once more
    /// with credentials if the registry challenges; a request is made anew for each sending.
    /// </summary>
    private HttpResponseMessage Send(Func<HttpRequestMessage> make, string scope, CancellationToken cancellation)
    {
        var response = SendRetrying(make, scope, cancellation);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
            return response;
        var asked = AuthChallenge.Parse(response.Headers.WwwAuthenticate.ToString());
        var sent = response.RequestMessage?.Headers.Authorization?.Parameter;
        response.Dispose();
        if (asked == null || !(asked.IsBasic || asked.IsBearer))
            throw Errors.Errors.RegistryAuthentication(registry, "it asks for an authentication this client does not speak.");
        if (asked.IsBasic && login == null)
            throw Errors.Errors.RegistryAuthentication(registry, "it needs a login (Connect-ContainerRegistry, or -Credential).");
        challenge = asked;
        if (asked.IsBearer)
            EnsureToken(asked, scope, sent, cancellation);
        response = SendRetrying(make, scope, cancellation);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            response.Dispose();
            throw Errors.Errors.RegistryAuthentication(registry, login == null ? "it needs a login (Connect-ContainerRegistry, or -Credential)." : $"the login of '{login.User}' is refused.");
        }
        return response;
    }

    private HttpResponseMessage SendRetrying(Func<HttpRequestMessage> make, string scope, CancellationToken cancellation) =>
        RegistryRetries.Send(() =>
        {
            var request = make();
            Authorize(request, scope);
            return request;
        }, request => transport.Send(request, cancellation), cancellation);

    private void Authorize(HttpRequestMessage request, string scope)
    {
        if (challenge is { IsBasic: true } && login != null)
            request.Headers.Authorization = Basic(login);
        else if (challenge is { IsBearer: true } && tokens.TryGetValue(scope, out var token) && token.Expires > DateTimeOffset.UtcNow)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
    }

    private static AuthenticationHeaderValue Basic(RegistryLogin login) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{login.User}:{login.Password}")));

    /// <summary>
    /// A token for scope, fetched once however many requests were refused at once without one
    /// (the blobs of a pull go in parallel): a token another request fetched meanwhile is taken,
    /// and one refused itself (the token sent) is fetched anew.
    /// </summary>
    private void EnsureToken(AuthChallenge asked, string scope, string? sent, CancellationToken cancellation)
    {
        lock (fetching.GetOrAdd(scope, _ => new object()))
        {
            if (tokens.TryGetValue(scope, out var token) && token.Expires > DateTimeOffset.UtcNow && token.Token != sent)
                return;
            FetchToken(asked, scope, cancellation);
        }
    }

    /// <summary>A token for scope from the challenge's realm (the distribution spec's token auth), with the login if there is one.</summary>
    private void FetchToken(AuthChallenge asked, string scope, CancellationToken cancellation)
    {
        var realm = asked["realm"] ?? throw Errors.Errors.RegistryProtocol(registry, "a Bearer challenge without a realm");
        var query = new List<string>();
        if (asked["service"] is { } service)
            query.Add("service=" + Uri.EscapeDataString(service));
        foreach (var part in scope.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            query.Add("scope=" + Uri.EscapeDataString(part));
        var url = realm + (realm.Contains('?') ? "&" : "?") + string.Join('&', query);
        using var response = RegistryRetries.Send(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (login != null)
                request.Headers.Authorization = Basic(login);
            return request;
        }, request => transport.SendAnywhere(request, cancellation), cancellation);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            throw Errors.Errors.RegistryAuthentication(registry, login == null ? "its token server needs a login." : $"its token server refuses the login of '{login.User}'.");
        Expect(response, HttpStatusCode.OK, "a token");
        var answer = JsonNode.Parse(response.Content.ReadAsStream(cancellation));
        var token = answer?["token"]?.GetValue<string>() ?? answer?["access_token"]?.GetValue<string>()
                    ?? throw Errors.Errors.RegistryProtocol(registry, "a token server's answer without a token");
        // the spec's default lifetime is 60 seconds; a little is kept back for the clock's skew
        var lifetime = answer?["expires_in"]?.GetValue<int>() is int seconds and > 0 ? seconds : 60;
        tokens[scope] = (token, DateTimeOffset.UtcNow.AddSeconds(lifetime - 5));
    }

    private void Expect(HttpResponseMessage response, HttpStatusCode status, string what)
    {
        if (response.StatusCode == status || (status == HttpStatusCode.OK && response.IsSuccessStatusCode))
            return;
        var body = "";
        try
        {
            body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        }
        catch (HttpRequestException)
        {
        }
        var answer = $"{(int)response.StatusCode} {response.ReasonPhrase}{(body.Length > 0 ? $" ({body.Trim()})" : "")}";
        // a transient answer here is the last of the retries: the registry is not serving now
        if (RegistryRetries.IsTransient(response.StatusCode))
            throw Errors.Errors.RegistryUnreachable(registry, $"{what}: {answer}, still after {RegistryRetries.Retries} retries");
        throw Errors.Errors.RegistryProtocol(registry, $"{what}: {answer}");
    }

    public void Dispose() => transport.Dispose();
}

internal static class Digests
{
    public static string Of(byte[] content) => "sha256:" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(content)).ToLowerInvariant();
}
