using Container.Runtime.Errors;
using Container.Runtime.Registries;
using Xunit;

namespace Container.Tests.Registries;

/// <summary>registries.conf read as podman reads it, and what a short name stands for by it.</summary>
public sealed class ShortNameTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("registries-conf-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string File(string name, string text)
    {
        var path = Path.Combine(dir, name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void ARegistriesConfIsReadAsPodmanWritesIt()
    {
        var system = File("registries.conf", """
            # the search list, over lines, with a trailing comma and comments
            unqualified-search-registries = [
                "registry.example:5000", # ours
                'quay.io',
            ]
            short-name-mode = "enforcing"

            [[registry]]
            prefix = "registry.example:5000"
            location = "registry.example:5000"
            insecure = true

            [[registry.mirror]]
            location = "mirror.example"
            insecure = true

            [[registry]]
            location = "secure.example"
            insecure = false
            """);
        var dropIn = File("000-shortnames.conf", """
            [aliases]
              # a comment in a table
              "alpine" = "docker.io/library/alpine"
              "team/app" = "registry.example:5000/team/app"
            """);
        var configuration = RegistriesConfiguration.Read([system, dropIn, Path.Combine(dir, "missing.conf")]);
        Assert.Equal(["registry.example:5000", "quay.io"], configuration.SearchRegistries);
        Assert.Equal(["registry.example:5000"], configuration.InsecureRegistries);
        Assert.Equal("registry.example:5000/team/app", configuration.Aliases["team/app"]);
        Assert.Equal("docker.io/library/alpine", configuration.Aliases["alpine"]);
    }

    [Fact]
    public void ALaterFilesSearchListReplacesAnEarlierOnesAndItsAliasesAdd()
    {
        var first = File("a.conf", "unqualified-search-registries = [\"one.example\", \"two.example\"]\n[aliases]\n\"x\" = \"one.example/x\"\n\"y\" = \"one.example/y\"\n");
        var second = File("b.conf", "unqualified-search-registries = [\"three.example\"]\n[aliases]\n\"y\" = \"three.example/y\"\n");
        var configuration = RegistriesConfiguration.Read([first, second]);
        Assert.Equal(["three.example"], configuration.SearchRegistries);
        Assert.Equal("one.example/x", configuration.Aliases["x"]);
        Assert.Equal("three.example/y", configuration.Aliases["y"]);
    }

    [Theory]
    [InlineData("unqualified-search-registries = [\"a\"")]
    [InlineData("unqualified-search-registries = \"a\" extra")]
    [InlineData("[aliases\n")]
    [InlineData("= \"a\"")]
    public void AFileThatIsNotTomlIsRefusedWithItsLine(string text)
    {
        var path = File("bad.conf", "# fine\n" + text);
        var error = Assert.Throws<ContainerException>(() => RegistriesConfiguration.Read([path]));
        Assert.Equal("InvalidRegistriesConf", error.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void AShortNameIsDockerHubsWithNoSearchRegistryAndAQualifiedNameIsItself()
    {
        var none = new RegistriesConfiguration();
        Assert.Equal("docker.io/library/busybox:latest", ShortNames.Resolve("busybox", none).ToString());
        Assert.Equal("docker.io/team/app:1", ShortNames.Resolve("team/app:1", none).ToString());
        var searching = new RegistriesConfiguration { SearchRegistries = ["one.example", "two.example"] };
        Assert.Equal("localhost:5000/app:1", ShortNames.Resolve("localhost:5000/app:1", searching).ToString());
        Assert.Equal("docker.io/library/busybox:latest", ShortNames.Resolve("docker.io/busybox", searching).ToString());
    }

    [Fact]
    public void AShortNameIsSearchedInEachRegistryAndItsAliasWinsKeepingItsTagOrDigest()
    {
        var configuration = new RegistriesConfiguration
        {
            SearchRegistries = ["one.example:5000", "docker.io"],
            Aliases = new Dictionary<string, string> { ["app"] = "two.example/team/app" },
        };
        Assert.Equal(["one.example:5000/busybox:1", "docker.io/library/busybox:1"], ShortNames.Candidates("busybox:1", configuration).Select(c => c.ToString()));
        Assert.Equal("two.example/team/app:2", ShortNames.Resolve("app:2", configuration).ToString());
        var digest = "sha256:" + new string('a', 64);
        Assert.Equal($"two.example/team/app@{digest}", ShortNames.Resolve($"app@{digest}", configuration).ToString());
        var one = new RegistriesConfiguration { SearchRegistries = ["one.example:5000"] };
        Assert.Equal("one.example:5000/team/x:latest", ShortNames.Resolve("team/x", one).ToString());
    }

    [Fact]
    public void AShortNameMoreThanOneSearchRegistryMayServeIsAnErrorThatListsThem()
    {
        var configuration = new RegistriesConfiguration { SearchRegistries = ["one.example", "two.example"] };
        var error = Assert.Throws<ContainerException>(() => ShortNames.Resolve("app:1", configuration));
        Assert.Equal("AmbiguousShortName", error.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal("app:1", error.Target);
        Assert.Contains("one.example/app:1", error.Message);
        Assert.Contains("two.example/app:1", error.Message);
    }
}
