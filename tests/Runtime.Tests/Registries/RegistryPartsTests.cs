using Container.Runtime.Errors;
using Container.Runtime.Images;
using Container.Runtime.Registries;
using Xunit;

namespace Container.Tests.Registries;

/// <summary>The registry client's parts that need no registry: challenges, logins on disk, plain HTTP's rule, platforms.</summary>
public sealed class RegistryPartsTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("registry-parts-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void ABearerChallengeGivesItsRealmServiceAndScope()
    {
        var challenge = AuthChallenge.Parse("""Bearer realm="https://auth.example/token",service="registry.example",scope="repository:team/app:pull,push" """)!;
        Assert.True(challenge.IsBearer);
        Assert.Equal("https://auth.example/token", challenge["realm"]);
        Assert.Equal("registry.example", challenge["service"]);
        Assert.Equal("repository:team/app:pull,push", challenge["scope"]);
        var basic = AuthChallenge.Parse("""Basic realm="a \"quoted\" realm" """)!;
        Assert.True(basic.IsBasic);
        Assert.Equal("""a "quoted" realm""", basic["realm"]);
        Assert.Null(AuthChallenge.Parse(""));
    }

    [Fact]
    public void LoginsAreStoredForPodmanAndSkopeoPrivatelyAndForgotten()
    {
        var file = Path.Combine(dir, "containers", "auth.json");
        var credentials = new RegistryCredentials(file, []);
        Assert.False(credentials.Remove("localhost:5000"));
        Assert.False(File.Exists(file));
        credentials.Store("localhost:5000", new RegistryLogin("ci", "s3cret:with-colon"));
        credentials.Store("registry.example", new RegistryLogin("other", "x"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        // the format podman and skopeo read: auths, host, base64 of user:password
        var auth = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(file))!["auths"]!["localhost:5000"]!["auth"]!.GetValue<string>();
        Assert.Equal("ci:s3cret:with-colon", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(auth)));
        Assert.Equal(new RegistryLogin("ci", "s3cret:with-colon"), credentials.Find("localhost:5000"));
        Assert.True(credentials.Remove("localhost:5000"));
        Assert.Null(credentials.Find("localhost:5000"));
        Assert.Equal(new RegistryLogin("other", "x"), credentials.Find("registry.example"));
    }

    [Fact]
    public void DockersConfigIsReadWhenOursHasNoLogin()
    {
        var docker = Path.Combine(dir, "config.json");
        File.WriteAllText(docker, """{"auths":{"registry.example":{"auth":"ZG9ja2VyOnB3"}}}""");
        var credentials = new RegistryCredentials(Path.Combine(dir, "auth.json"), [docker]);
        Assert.Equal(new RegistryLogin("docker", "pw"), credentials.Find("registry.example"));
        File.WriteAllText(Path.Combine(dir, "auth.json"), "not json");
        Assert.Equal("InvalidAuthFile", Assert.Throws<ContainerException>(() => credentials.Find("registry.example")).ErrorId);
    }

    [Theory]
    [InlineData("localhost:5000", true)]
    [InlineData("localhost", true)]
    [InlineData("127.0.0.1:5000", true)]
    [InlineData("127.3.4.5", true)]
    [InlineData("[::1]:5000", true)]
    [InlineData("registry.example:5000", false)]
    [InlineData("10.0.0.1:5000", false)]
    [InlineData("configured.example", true)]
    public void PlainHttpIsForLoopbackAndConfiguredRegistriesOnly(string registry, bool plain)
    {
        var options = new RegistryTransportOptions { InsecureRegistries = ["configured.example"] };
        Assert.Equal(plain, options.AllowsPlainHttp(registry));
        // TLS unverified only where configured (or -SkipTlsVerify): loopback's is verified
        Assert.Equal(registry == "configured.example", options.SkipsVerification(registry));
        Assert.True((options with { SkipTlsVerify = true }).SkipsVerification(registry));
    }

    [Fact]
    public void APlatformPicksItsManifestFromAList()
    {
        Descriptor Entry(string os, string architecture, string? variant) =>
            new() { Digest = $"{os}/{architecture}/{variant}", Platform = new PlatformSpec { Os = os, Architecture = architecture, Variant = variant } };
        var list = new[] { Entry("linux", "amd64", null), Entry("linux", "arm", "v7"), Entry("linux", "arm64", "v8") };
        Assert.Equal("linux/arm64/v8", ImagePlatform.Parse("linux/arm64").Pick(list)!.Digest);
        Assert.Equal("linux/arm/v7", ImagePlatform.Parse("linux/arm/v7").Pick(list)!.Digest);
        Assert.Null(ImagePlatform.Parse("linux/arm/v6").Pick(list));
        Assert.Null(ImagePlatform.Parse("windows/amd64").Pick(list));
        Assert.Equal("InvalidPlatform", Assert.Throws<ContainerException>(() => ImagePlatform.Parse("arm64")).ErrorId);
    }

    [Theory]
    [InlineData(429, true)]
    [InlineData(500, true)]
    [InlineData(502, true)]
    [InlineData(503, true)]
    [InlineData(504, true)]
    [InlineData(501, false)]
    [InlineData(505, false)]
    [InlineData(404, false)]
    [InlineData(401, false)]
    public void A429AndA5xxThatMayPassAreTriedAgain(int status, bool again) =>
        Assert.Equal(again, RegistryRetries.IsTransient((System.Net.HttpStatusCode)status));
}
