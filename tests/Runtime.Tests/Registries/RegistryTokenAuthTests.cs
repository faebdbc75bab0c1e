using System.Net;
using System.Text.Json;
using Container.Runtime.Containers;
using Container.Runtime.Errors;
using Container.Runtime.Images;
using Container.Runtime.Registries;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Registries;

/// <summary>
/// Token auth (the distribution spec's, docker-registry's <c>auth: token</c>) against a real
/// registry and a token server of the tests' own: a login goes through tokens for push and pull,
/// a wrong password and no login are refused, a token is fetched once per scope and reused, a
/// user granted only pull cannot push, and skopeo with the same login reads what we push. What is
/// pulled through tokens runs.
/// </summary>
[Trait("Category", "Registry")]
public sealed class RegistryTokenAuthTests : IDisposable
{
    private static readonly RegistryLogin Right = new("ci", "right pass");
    private static readonly RegistryLogin Wrong = new("ci", "wrong pass");

    private readonly TestStore store = new();
    private readonly TestStore other = new();
    private readonly string dir = Directory.CreateTempSubdirectory("registry-token-").FullName;

    public void Dispose()
    {
        store.Dispose();
        other.Dispose();
        Directory.Delete(dir, recursive: true);
    }

    private static LocalRegistry Start()
    {
        var unavailable = LocalRegistry.Unavailable;
        Skip.If(unavailable != null, unavailable);
        return LocalRegistry.Start(new RegistryOptions { Token = (Right.User, Right.Password) });
    }

    /// <summary>A store's registry service with logins in a file of the test's own.</summary>
    private RegistryService Registries(TestStore of) =>
        new(of.Engine.Images, new RegistryCredentials(Path.Combine(dir, "auth.json"), []), new RegistryTransportOptions { CertificateDirectories = [] });

    /// <summary>An image with a layer the other store lacks: its pull fetches the manifest, the config and that layer.</summary>
    private string Committed(string name)
    {
        var seed = "seed-" + name.Replace(':', '-');
        Assert.Equal(0, store.Run(seed, "sh", "-c", "echo made here > /made-here").Container.ExitCode);
        store.Containers.Commit(seed, ImageReference.Parse(name));
        return name;
    }

    /// <summary>Refused as an authentication error, aimed at the registry.</summary>
    private static void AssertRefused(LocalRegistry registry, Action act)
    {
        var error = Assert.Throws<ContainerException>(act);
        Assert.Equal("RegistryAuthenticationFailed", error.ErrorId);
        Assert.Equal(ErrorKind.AuthenticationError, error.Kind);
        Assert.Equal(registry.Host, error.Target);
    }

    [SkippableFact]
    public void ALoginPushesAndPullsThroughTokens()
    {
        using var registry = Start();
        var service = Registries(store);
        service.Login(registry.Host, Right);
        var image = Committed("made:1");
        var reference = $"{registry.Host}/team/made:1";

        service.Push(image, reference);
        var pulled = Registries(other).Pull(reference);

        Assert.Equal(store.Engine.Images.Get(image).Id, pulled.Id);
        Assert.Equal(store.Engine.Images.Get(image).Digest, pulled.Digest);
        other.Containers.Create(new ContainerSpec { Image = reference, Name = "pulled", Command = ["cat", "/made-here"] });
        other.Containers.Start("pulled");
        Assert.Equal(0, other.Containers.Wait("pulled", TimeSpan.FromSeconds(60)).ExitCode);
        Assert.Equal("made here", other.Output("pulled"));
        var requests = registry.Tokens!.Requests;
        Assert.NotEmpty(requests);
        Assert.All(requests, r => Assert.Equal(Right.User, r.User));
        Assert.All(requests, r => Assert.NotNull(r.Granted));
        // the push was granted push on its repository, the pull pull
        Assert.Contains(requests, r => r.Granted!.Contains("repository:team/made:pull,push"));
        Assert.Contains(requests, r => r.Granted!.SequenceEqual(["repository:team/made:pull"]));
    }

    [SkippableFact]
    public void AWrongPasswordIsRefusedAtTheTokenServerAndNotStored()
    {
        using var registry = Start();
        var service = Registries(store);
        service.Push(Committed("made:1"), $"{registry.Host}/team/made:1", login: Right);

        AssertRefused(registry, () => service.Login(registry.Host, Wrong));
        Assert.Null(service.Credentials.Find(registry.Host));
        AssertRefused(registry, () => Registries(other).Pull($"{registry.Host}/team/made:1", login: Wrong));
        AssertRefused(registry, () => service.Push(TestStore.Image, $"{registry.Host}/team/made:2", login: Wrong));

        Assert.Contains(registry.Tokens!.Requests, r => r is { User: "ci", Granted: null });
        Assert.Equal(["1"], Registries(other).Tags($"{registry.Host}/team/made", login: Right));
    }

    [SkippableFact]
    public void AnonymousIsChallengedForATokenAndRefusedOne()
    {
        using var registry = Start();
        using (var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }))
        using (var response = client.GetAsync(new Uri(registry.BaseAddress, "v2/")).GetAwaiter().GetResult())
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            var challenge = Assert.Single(response.Headers.WwwAuthenticate);
            Assert.Equal("Bearer", challenge.Scheme);
            Assert.Contains($"realm=\"{registry.Tokens!.Realm}\"", challenge.Parameter);
            Assert.Contains($"service=\"{TokenServer.Service}\"", challenge.Parameter);
        }
        Registries(store).Push(Committed("made:1"), $"{registry.Host}/team/made:1", login: Right);
        var before = other.Engine.Images.List().Select(i => i.Reference).ToList();

        AssertRefused(registry, () => Registries(other).Pull($"{registry.Host}/team/made:1"));
        AssertRefused(registry, () => Registries(store).Push(TestStore.Image, $"{registry.Host}/team/made:2"));
        AssertRefused(registry, () => Registries(other).Tags($"{registry.Host}/team/made"));

        Assert.Contains(registry.Tokens!.Requests, r => r is { User: null, Granted: null });
        Assert.Equal(before, other.Engine.Images.List().Select(i => i.Reference));
    }

    [SkippableFact]
    public void APullFetchesOneTokenAndReusesIt()
    {
        using var registry = Start();
        var image = Committed("made:1");
        var reference = $"{registry.Host}/team/made:1";
        Registries(store).Push(image, reference, login: Right);
        var before = registry.Tokens!.Requests.Count;

        Registries(other).Pull(reference, login: Right);

        // the manifest, the config and the new layer (two of them at once), on one token
        var request = Assert.Single(registry.Tokens.Requests.Skip(before));
        Assert.Equal(["repository:team/made:pull"], request.Scopes);
        Assert.Equal(["repository:team/made:pull"], request.Granted);
    }

    [SkippableFact]
    public void APushFetchesOneTokenPerScope()
    {
        using var registry = Start();

        Registries(store).Push(Committed("made:1"), $"{registry.Host}/team/made:1", login: Right);

        // its requests (a HEAD of each blob, its uploads, the manifest) ask two scopes, the blobs' at once: each token once
        var asked = registry.Tokens!.Requests.Select(r => string.Join(' ', r.Scopes)).ToList();
        Assert.True(asked.Order().SequenceEqual(["repository:team/made:pull", "repository:team/made:pull,push"]),
            "token requests: " + string.Join(", ", asked));
    }

    [SkippableFact]
    public void AUserGrantedOnlyPullPullsButCannotPush()
    {
        using var registry = Start();
        registry.Tokens!.Grant("reader", "read only", "pull");
        var reader = new RegistryLogin("reader", "read only");
        var image = Committed("made:1");
        Registries(store).Push(image, $"{registry.Host}/team/made:1", login: Right);

        Assert.Equal(store.Engine.Images.Get(image).Id, Registries(other).Pull($"{registry.Host}/team/made:1", login: reader).Id);
        AssertRefused(registry, () => Registries(other).Push($"{registry.Host}/team/made:1", $"{registry.Host}/team/made:2", login: reader));

        var asked = registry.Tokens.Requests.Where(r => r.User == "reader").ToList();
        Assert.Contains(asked, r => r.Scopes.Contains("repository:team/made:pull,push"));
        Assert.All(asked, r => Assert.All(r.Granted!, g => Assert.EndsWith(":pull", g)));
        Assert.Equal(["1"], Registries(other).Tags($"{registry.Host}/team/made", login: Right));
    }

    [SkippableFact]
    public void SkopeoWithTheSameLoginReadsWhatWePushAndWeWhatItPushes()
    {
        using var registry = Start();
        var image = Committed("made:1");
        Registries(store).Push(image, $"{registry.Host}/team/made:1", login: Right);

        var layout = Path.Combine(dir, "skopeo-layout");
        // as it is: skopeo would compress our uncompressed layers for a layout, and so make another manifest
        registry.CopyWithSkopeo($"docker://{registry.Host}/team/made:1", $"oci:{layout}:1", "--dest-oci-accept-uncompressed-layers");
        using (var index = JsonDocument.Parse(File.ReadAllText(Path.Combine(layout, "index.json"))))
            Assert.Equal(store.Engine.Images.Get(image).Digest,
                Assert.Single(index.RootElement.GetProperty("manifests").EnumerateArray()).GetProperty("digest").GetString());

        registry.PushWithSkopeo($"oci:{PeerImages.Layout}:v1", "peer/busybox:v1");
        var digest = registry.ManifestDigestWithSkopeo("peer/busybox:v1");
        Assert.Equal(digest, Registries(other).Pull($"{registry.Host}/peer/busybox@{digest}", login: Right).Digest);
        // skopeo's requests went through the token server too
        Assert.Contains(registry.Tokens!.Requests, r => r.Scopes.Contains("repository:peer/busybox:pull,push"));
    }
}
