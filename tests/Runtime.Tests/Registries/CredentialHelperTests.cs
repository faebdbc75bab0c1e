using System.Text.Json.Nodes;
using Container.Runtime.Errors;
using Container.Runtime.Registries;
using Xunit;

namespace Container.Tests.Registries;

/// <summary>
/// Logins kept by docker-credential-* helpers (credHelpers, credsStore), through the helpers'
/// protocol: a helper of the test's own keeps them in files of its directory, put first on PATH.
/// </summary>
public sealed class CredentialHelperTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("credential-helper-").FullName;
    private readonly string? path = Environment.GetEnvironmentVariable("PATH");
    private readonly string helper;

    public CredentialHelperTests()
    {
        helper = "pwshtest" + Guid.NewGuid().ToString("n")[..8];
        var kept = Directory.CreateDirectory(Path.Combine(dir, "kept")).FullName;
        // get and erase take the registry on stdin; store takes {"ServerURL":...}; a file per registry
        File.WriteAllText(Path.Combine(dir, "docker-credential-" + helper), $$"""
            #!/bin/sh
            read -r input
            case "$1" in
              store) server=$(printf '%s' "$input" | sed 's/.*"ServerURL":"\([^"]*\)".*/\1/'); printf '%s' "$input" > "{{kept}}/$server" ;;
              get) [ -f "{{kept}}/$input" ] && exec cat "{{kept}}/$input"; echo "credentials not found in native keychain"; exit 1 ;;
              erase) [ -f "{{kept}}/$input" ] || { echo "credentials not found in native keychain"; exit 1; }; rm "{{kept}}/$input" ;;
              *) echo "broken on purpose" >&2; exit 2 ;;
            esac
            """);
        File.SetUnixFileMode(Path.Combine(dir, "docker-credential-" + helper), (UnixFileMode)0b111_101_101);
        Environment.SetEnvironmentVariable("PATH", dir + ":" + path);
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("PATH", path);
        Directory.Delete(dir, recursive: true);
    }

    private string AuthFile(JsonObject content)
    {
        var file = Path.Combine(dir, Guid.NewGuid().ToString("n") + ".json");
        File.WriteAllText(file, content.ToJsonString());
        return file;
    }

    [Fact]
    public void ARegistrysHelperKeepsWhatIsStoredGivesItBackAndForgetsIt()
    {
        var file = AuthFile(new JsonObject { ["credHelpers"] = new JsonObject { ["registry.example:5000"] = helper } });
        var credentials = new RegistryCredentials(file, []);
        credentials.Store("registry.example:5000", new RegistryLogin("ci", "p@ss \"word\""));
        Assert.True(File.Exists(Path.Combine(dir, "kept", "registry.example:5000")));
        Assert.DoesNotContain("auths", File.ReadAllText(file));
        Assert.Equal(new RegistryLogin("ci", "p@ss \"word\""), credentials.Find("registry.example:5000"));
        // another registry's login is the file's own
        credentials.Store("other.example", new RegistryLogin("me", "mine"));
        Assert.Contains("other.example", File.ReadAllText(file));

        Assert.True(credentials.Remove("registry.example:5000"));
        Assert.Null(credentials.Find("registry.example:5000"));
        Assert.False(credentials.Remove("registry.example:5000"));
    }

    [Fact]
    public void DockersCredsStoreIsAskedForEveryRegistryItHas()
    {
        File.WriteAllText(Path.Combine(dir, "kept", "registry.example"), """{"ServerURL":"registry.example","Username":"ci","Secret":"kept"}""");
        var docker = AuthFile(new JsonObject { ["credsStore"] = helper, ["auths"] = new JsonObject { ["registry.example"] = new JsonObject() } });
        var credentials = new RegistryCredentials(Path.Combine(dir, "ours.json"), [docker]);
        Assert.Equal(new RegistryLogin("ci", "kept"), credentials.Find("registry.example"));
        Assert.Null(credentials.Find("nothing.example"));
    }

    [Fact]
    public void AHelperThatFailsOrIsMissingIsAnErrorThatNamesIt()
    {
        var broken = new RegistryCredentials(AuthFile(new JsonObject { ["credHelpers"] = new JsonObject { ["registry.example"] = "missing" + helper } }), []);
        var error = Assert.Throws<ContainerException>(() => broken.Find("registry.example"));
        Assert.Equal(("NotInstalled", ErrorKind.NotInstalled), (error.ErrorId, error.Kind));
        Assert.Contains("docker-credential-missing" + helper, error.Message);

        File.WriteAllText(Path.Combine(dir, "kept", "registry.example"), "not json");
        var garbled = new RegistryCredentials(AuthFile(new JsonObject { ["credsStore"] = helper }), []);
        error = Assert.Throws<ContainerException>(() => garbled.Find("registry.example"));
        Assert.Equal(("CredentialHelperFailed", ErrorKind.InvalidOperation), (error.ErrorId, error.Kind));
        Assert.Contains("docker-credential-" + helper, error.Message);
    }
}
