using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using System.Text.Json;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Registries;

/// <summary>
/// The registry the registry tests run against, checked on its own: skopeo pushes to it as the
/// fixture sets it up (plain HTTP, Basic auth, TLS with a CA of its own), it answers as the
/// options say, and Dispose leaves neither a process nor a file.
/// </summary>
[Trait("Category", "Registry")]
public sealed class RegistryFixtureTests
{
    private static string Busybox => $"oci:{PeerImages.Layout}:v1";

    private static LocalRegistry Start(RegistryOptions? options = null)
    {
        var unavailable = LocalRegistry.Unavailable;
        Skip.If(unavailable != null, unavailable);
        return LocalRegistry.Start(options);
    }

    private static HttpClient PlainClient() => new(new SocketsHttpHandler { UseProxy = false });

    private static string[] Tags(HttpClient client, LocalRegistry registry, string repository)
    {
        using var response = client.GetAsync(new Uri(registry.BaseAddress, $"v2/{repository}/tags/list")).GetAwaiter().GetResult();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(response.Content.ReadAsStringAsync().GetAwaiter().GetResult());
        Assert.Equal(repository, json.RootElement.GetProperty("name").GetString());
        return [.. json.RootElement.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!)];
    }

    [SkippableFact]
    public void SkopeoPushesToAPlainRegistryWhoseTagsListHasTheTag()
    {
        using var registry = Start();
        Assert.Matches(@"^127\.0\.0\.1:\d+$", registry.Host);
        Assert.Null(registry.CaCertificate);

        registry.PushWithSkopeo(Busybox, "team/app:1");

        using var client = PlainClient();
        Assert.Equal(["1"], Tags(client, registry, "team/app"));
        // the storage root is DataDir: the repository is there
        Assert.True(Directory.Exists(Path.Combine(registry.DataDir, "docker", "registry", "v2", "repositories", "team", "app")));
    }

    [SkippableFact]
    public void ManifestDigestWithSkopeoIsTheDigestTheRegistryServes()
    {
        using var registry = Start();
        registry.PushWithSkopeo(Busybox, "team/app:1");

        var request = new HttpRequestMessage(HttpMethod.Head, new Uri(registry.BaseAddress, "v2/team/app/manifests/1"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.oci.image.manifest.v1+json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.docker.distribution.manifest.v2+json"));
        using var client = PlainClient();
        using var response = client.Send(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var served = Assert.Single(response.Headers.GetValues("Docker-Content-Digest"));

        Assert.Equal(served, registry.ManifestDigestWithSkopeo("team/app:1"));

        // pulled back into a layout, the manifest is the one served
        var back = Directory.CreateTempSubdirectory("registry-pulled-").FullName;
        try
        {
            registry.CopyWithSkopeo($"docker://{registry.Host}/team/app:1", $"oci:{back}:1");
            using var index = JsonDocument.Parse(File.ReadAllText(Path.Combine(back, "index.json")));
            Assert.Equal(served, Assert.Single(index.RootElement.GetProperty("manifests").EnumerateArray()).GetProperty("digest").GetString());
        }
        finally
        {
            Directory.Delete(back, recursive: true);
        }
    }

    [SkippableFact]
    public void BasicAuthChallengesWithoutCredentialsAndAdmitsWithThem()
    {
        using var registry = Start(new RegistryOptions { Basic = ("tester", "s3cret pass") });
        using var client = PlainClient();

        using (var anonymous = client.GetAsync(new Uri(registry.BaseAddress, "v2/")).GetAwaiter().GetResult())
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            var challenge = Assert.Single(anonymous.Headers.WwwAuthenticate);
            Assert.Equal("Basic", challenge.Scheme);
            Assert.Equal("realm=\"test\"", challenge.Parameter);
        }

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes("tester:s3cret pass")));
        using (var admitted = client.GetAsync(new Uri(registry.BaseAddress, "v2/")).GetAwaiter().GetResult())
            Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);

        // skopeo without the fixture's credentials is refused; with them it pushes
        var bare = PeerTools.Skopeo("copy", "--dest-tls-verify=false", Busybox, $"docker://{registry.Host}/team/app:1");
        Assert.False(bare.Succeeded);
        Assert.Contains("unauthorized", bare.StandardError, StringComparison.OrdinalIgnoreCase);
        registry.PushWithSkopeo(Busybox, "team/app:1");
        Assert.Equal(["1"], Tags(client, registry, "team/app"));
    }

    [SkippableFact]
    public void TlsIsTrustedThroughItsOwnCaAlone()
    {
        using var registry = Start(new RegistryOptions { Tls = true });
        Assert.NotNull(registry.CaCertificate);
        Assert.Equal("https", registry.BaseAddress.Scheme);
        var v2 = new Uri(registry.BaseAddress, "v2/");

        using (var trusting = new HttpClient(CertificateTrust.OnlyHandler(registry.CaCertificate)))
        using (var response = trusting.GetAsync(v2).GetAwaiter().GetResult())
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        using (var trustingNothing = new HttpClient(CertificateTrust.OnlyHandler(null)))
        {
            var refused = Assert.Throws<HttpRequestException>(() => trustingNothing.GetAsync(v2).GetAwaiter().GetResult());
            Assert.IsType<AuthenticationException>(refused.InnerException);
        }
        using (var system = PlainClient())
        {
            var refused = Assert.Throws<HttpRequestException>(() => system.GetAsync(v2).GetAwaiter().GetResult());
            Assert.IsType<AuthenticationException>(refused.InnerException);
        }
    }

    [SkippableFact]
    public void SkopeoPushesOverTlsWithBasicAuth()
    {
        using var registry = Start(new RegistryOptions { Tls = true, Basic = ("tester", "pw") });
        // skopeo without the fixture's CA does not trust the registry; with it, it pushes
        var bare = PeerTools.Skopeo("copy", "--dest-creds=tester:pw", Busybox, $"docker://{registry.Host}/secure/app:2");
        Assert.False(bare.Succeeded);
        Assert.Contains("certificate signed by unknown authority", bare.StandardError);
        registry.PushWithSkopeo(Busybox, "secure/app:2");

        using var client = new HttpClient(CertificateTrust.OnlyHandler(registry.CaCertificate));
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("tester:pw"u8.ToArray()));
        Assert.Equal(["2"], Tags(client, registry, "secure/app"));
        Assert.StartsWith("sha256:", registry.ManifestDigestWithSkopeo("secure/app:2"));
        var listed = registry.Skopeo("list-tags", $"docker://{registry.Host}/secure/app");
        Assert.True(listed.Succeeded, listed.StandardError);
        Assert.Equal(["2"], JsonDocument.Parse(listed.StandardOutput).RootElement.GetProperty("Tags").EnumerateArray().Select(t => t.GetString()));
    }

    [SkippableFact]
    public void TokenAuthIsServedByATokenServerOfItsOwnThatDisposeStops()
    {
        using var registry = Start(new RegistryOptions { Token = ("tester", "pw") });
        var tokens = registry.Tokens!;
        using var client = PlainClient();
        var ask = new Uri(tokens.Realm, $"?service={TokenServer.Service}&scope=repository:team/app:pull,push");
        using (var anonymous = client.GetAsync(ask).GetAwaiter().GetResult())
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        var request = new HttpRequestMessage(HttpMethod.Get, ask);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("tester:pw"u8.ToArray()));
        using (var granted = client.Send(request))
        {
            Assert.Equal(HttpStatusCode.OK, granted.StatusCode);
            using var answer = JsonDocument.Parse(granted.Content.ReadAsStringAsync().GetAwaiter().GetResult());
            Assert.Equal(tokens.ExpiresIn, answer.RootElement.GetProperty("expires_in").GetInt32());
            var parts = answer.RootElement.GetProperty("token").GetString()!.Split('.');
            Assert.Equal(3, parts.Length);
            using var header = JsonDocument.Parse(Convert.FromBase64String(parts[0].Replace('-', '+').Replace('_', '/').PadRight((parts[0].Length + 3) / 4 * 4, '=')));
            Assert.Equal("RS256", header.RootElement.GetProperty("alg").GetString());
            Assert.Equal(1, header.RootElement.GetProperty("x5c").GetArrayLength());
        }
        Assert.Equal([null, "tester"], tokens.Requests.Select(r => r.User));
        Assert.Equal(["repository:team/app:pull,push"], tokens.Requests[1].Granted);

        // the registry takes the token server's tokens: skopeo, given the login, pushes through them
        registry.PushWithSkopeo(Busybox, "team/app:1");
        Assert.Contains(tokens.Requests.Skip(2), r => r.User == "tester" && r.Granted!.Contains("repository:team/app:pull,push"));

        registry.Dispose();
        Assert.Throws<HttpRequestException>(() => client.GetAsync(tokens.Realm).GetAwaiter().GetResult());
    }

    [SkippableFact]
    public void DisposeLeavesNoProcessNoFileAndNoListener()
    {
        var registry = Start(new RegistryOptions { Tls = true, Basic = ("tester", "pw") });
        var pid = registry.ProcessId;
        var dir = Path.GetDirectoryName(registry.DataDir)!;
        var port = int.Parse(registry.Host.Split(':')[1]);
        Assert.True(Directory.Exists($"/proc/{pid}"));
        Assert.Contains(LocalRegistry.Program, File.ReadAllText($"/proc/{pid}/cmdline"));

        registry.Dispose();

        Assert.False(Directory.Exists($"/proc/{pid}"));
        Assert.False(Directory.Exists(dir));
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var refused = Assert.Throws<SocketException>(() => socket.Connect(IPAddress.Loopback, port));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    [SkippableFact]
    public void APortTakenMeanwhileIsPickedAgainThoughItsHolderAnswers()
    {
        var unavailable = LocalRegistry.Unavailable;
        Skip.If(unavailable != null, unavailable);
        // the port's holder answers every request as a registry would (200, an API version): should
        // it answer before the registry fails to bind, the registry's identity header still tells them apart
        using var impostor = new TcpListener(IPAddress.Loopback, 0);
        impostor.Start();
        var takenPort = ((IPEndPoint)impostor.LocalEndpoint).Port;
        _ = Task.Run(async () =>
        {
            while (true)
            {
                using var connection = await impostor.AcceptTcpClientAsync();
                await connection.GetStream().WriteAsync("HTTP/1.1 200 OK\r\nDocker-Distribution-Api-Version: registry/2.0\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray());
            }
        });
        var picks = 0;

        using var registry = LocalRegistry.Start(null, () => picks++ == 0 ? takenPort : LocalRegistry.FreePort());

        Assert.Equal(2, picks);
        Assert.NotEqual($"127.0.0.1:{takenPort}", registry.Host);
        using var client = PlainClient();
        using var response = client.GetAsync(new Uri(registry.BaseAddress, "v2/")).GetAwaiter().GetResult();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
