using Container.Runtime.Compose;
using Container.Runtime.Compose.Loading;
using Xunit;

namespace Container.Tests.Compose;

/// <summary>A service's config hash: what the planner compares to decide whether a running service must be made anew.</summary>
public sealed class ConfigFingerprintTests : IDisposable
{
    private readonly ComposeDirectory project = new();

    public void Dispose() => project.Dispose();

    private string Hash(string yaml) => project.Service(yaml).ConfigHash;

    private const string Web = """
        services:
          web:
            image: nginx:1.27
            environment: {A: "1", B: "2"}
            ports: ["8080:80"]
            labels: [tier=front]
            healthcheck: {test: [CMD, curl, -f, localhost], interval: 30s}
          db:
            image: postgres
        """;

    [Fact]
    public void ItIsASha256()
    {
        Assert.Matches("^[0-9a-f]{64}$", Hash(Web));
    }

    [Fact]
    public void ReorderingKeysAndChangingTheFormsChangeNothing()
    {
        var reordered = """
            services:
              db:
                image: postgres
              web:
                healthcheck: {interval: 30s, test: [CMD, curl, -f, localhost]}
                labels: {tier: front}
                ports:
                  - target: 80
                    published: "8080"
                environment: [B=2, A=1]
                image: nginx:1.27
            """;

        Assert.Equal(Hash(Web), Hash(reordered));
    }

    [Fact]
    public void ExtensionsOtherServicesAndWhatMakesNoOtherContainerChangeNothing()
    {
        var changed = Web.Replace("image: postgres", "image: mariadb\n    x-note: a") + "\n" + """
            x-defaults: {restart: always}
            """;
        var irrelevant = Web.Replace("image: nginx:1.27", "image: nginx:1.27\n    x-owner: me\n    pull_policy: always\n    profiles: [web]\n    deploy: {replicas: 3}");

        Assert.Equal(Hash(Web), Hash(changed));
        Assert.Equal(Hash(Web), project.LoadYaml(irrelevant, new Dictionary<string, string> { ["COMPOSE_PROFILES"] = "web" }).Services["web"].ConfigHash);
    }

    [Theory]
    [InlineData("A: \"1\"", "A: \"one\"")]
    [InlineData("8080:80", "8081:80")]
    [InlineData("interval: 30s", "interval: 31s")]
    [InlineData("image: nginx:1.27", "image: nginx:1.28")]
    [InlineData("labels: [tier=front]", "labels: [tier=back]")]
    public void ChangingTheServicesConfigurationChangesIt(string from, string to)
    {
        Assert.NotEqual(Hash(Web), Hash(Web.Replace(from, to)));
    }

    [Fact]
    public void FieldsTheModelDoesNotTypeCountToo()
    {
        var logging = Web.Replace("image: nginx:1.27", "image: nginx:1.27\n    logging: {driver: json-file, options: {max-size: 1m}}");
        Assert.NotEqual(Hash(Web), Hash(logging));
        Assert.Equal(Hash(logging), Hash(logging.Replace("{driver: json-file, options: {max-size: 1m}}", "{options: {max-size: 1m}, driver: json-file}")));
    }

    private const string WithFiles = """
        services:
          web:
            image: nginx
            secrets: [key]
            configs: [site]
        secrets:
          key: {file: ./key.txt}
        configs:
          site: {environment: SITE}
        """;

    [Fact]
    public void TheContentOfItsSecretsAndConfigsCountsAndIsNamedAsTheFieldThatChanged()
    {
        project.Write("key.txt", "one");
        var site = new Dictionary<string, string> { ["SITE"] = "a" };
        var first = project.LoadYaml(WithFiles, site).Services["web"];
        Assert.Equal(first.ConfigHash, project.LoadYaml(WithFiles, site).Services["web"].ConfigHash);

        project.Write("key.txt", "two");
        var secretChanged = project.LoadYaml(WithFiles, site).Services["web"];
        Assert.NotEqual(first.ConfigHash, secretChanged.ConfigHash);
        Assert.Equal(["secrets"], ProjectPlan.ChangedFields(
            ConfigFingerprint.Counted(first), ConfigFingerprint.Counted(secretChanged)));

        var configChanged = project.LoadYaml(WithFiles, new Dictionary<string, string> { ["SITE"] = "b" }).Services["web"];
        Assert.NotEqual(secretChanged.ConfigHash, configChanged.ConfigHash);
        Assert.Equal(["configs"], ProjectPlan.ChangedFields(
            ConfigFingerprint.Counted(secretChanged), ConfigFingerprint.Counted(configChanged)));
    }
}
