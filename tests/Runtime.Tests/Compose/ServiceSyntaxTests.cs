using Container.Runtime.Compose;
using Xunit;

namespace Container.Tests.Compose;

/// <summary>Every short and long form of a service's fields, read into its one typed shape.</summary>
public sealed class ServiceSyntaxTests : IDisposable
{
    private readonly ComposeDirectory project = new();

    public void Dispose() => project.Dispose();

    private ComposeService Web(string fields) => project.Service("services:\n  web:\n    image: nginx\n" + Indent(fields));

    private static string Indent(string text) => string.Join('\n', text.Split('\n').Select(l => "    " + l)) + "\n";

    [Fact]
    public void PortsInEveryShortFormAndTheLongForm()
    {
        var ports = Web("""
            ports:
              - 80
              - "8080:80"
              - "127.0.0.1:8081:81/udp"
              - "127.0.0.1::82"
              - "[::1]:8083:83"
              - "9000-9001:90-91"
              - "7000-7010:70"
              - 3000-3001
              - target: 443
                published: "8443"
                host_ip: 0.0.0.0
                protocol: tcp
                mode: host
                name: https
            """).Ports;

        Assert.Equal(
        [
            new ServicePort(80, null, null, "tcp", null, null, null),
            new ServicePort(80, "8080", null, "tcp", null, null, null),
            new ServicePort(81, "8081", "127.0.0.1", "udp", null, null, null),
            new ServicePort(82, null, "127.0.0.1", "tcp", null, null, null),
            new ServicePort(83, "8083", "::1", "tcp", null, null, null),
            new ServicePort(90, "9000", null, "tcp", null, null, null),
            new ServicePort(91, "9001", null, "tcp", null, null, null),
            new ServicePort(70, "7000-7010", null, "tcp", null, null, null),
            new ServicePort(3000, null, null, "tcp", null, null, null),
            new ServicePort(3001, null, null, "tcp", null, null, null),
            new ServicePort(443, "8443", "0.0.0.0", "tcp", "host", "https", null),
        ], ports);
    }

    [Theory]
    [InlineData("\"80:abc\"", "services.web.ports[0]: invalid port '80:abc'")]
    [InlineData("\"80/icmp\"", "services.web.ports[0]: invalid protocol 'icmp'")]
    [InlineData("\"8000-8001:80-82\"", "services.web.ports[0]: invalid port '8000-8001:80-82'")]
    [InlineData("\"70000\"", "invalid port '70000'")]
    [InlineData("{published: 80}", "a port needs its target")]
    [InlineData("{target: 80, host: 1.2.3.4}", "services.web.ports[0]: unknown field 'host'")]
    public void AnInvalidPortIsAnErrorNamingTheFileAndTheField(string port, string message)
    {
        var error = project.Error($"services:\n  web:\n    image: nginx\n    ports:\n      - {port}\n");
        Assert.Contains(message, error.Message);
        Assert.StartsWith(Path.Join(project.Path, "compose.yaml") + ": ", error.Message);
    }

    [Fact]
    public void ExposeTakesPortsRangesAndProtocols()
    {
        Assert.Equal(["80", "8000-8010", "53/udp"], Web("expose: [80, \"8000-8010\", 53/udp]").Expose);
    }

    [Fact]
    public void VolumesShortAndLongBindsResolvedAgainstTheProjectDirectoryAndHome()
    {
        var service = project.Service("""
            services:
              web:
                image: nginx
                volumes:
                  - data:/var/lib/data:ro
                  - ./src:/app:z
                  - ~/cache:/cache:rw,rshared
                  - /anonymous
                  - /etc/hosts:/host-hosts:ro
                  - type: bind
                    source: ../shared
                    target: /shared
                    read_only: true
                    bind: {propagation: rslave, create_host_path: false}
                  - type: volume
                    source: data
                    target: /sub
                    volume: {nocopy: true, subpath: logs}
                  - type: tmpfs
                    target: /tmp
                    tmpfs: {size: 64m, mode: "1777"}
            volumes:
              data:
            """);
        var parent = Path.GetDirectoryName(project.Path)!;

        Assert.Equal(
        [
            new ServiceVolume(VolumeType.Volume, "data", "/var/lib/data", true, null, null, new VolumeOptions(false, null), null),
            new ServiceVolume(VolumeType.Bind, Path.Join(project.Path, "src"), "/app", false, null, new BindOptions(null, true, "z"), null, null),
            new ServiceVolume(VolumeType.Bind, "/home/tester/cache", "/cache", false, null, new BindOptions("rshared", true, null), null, null),
            new ServiceVolume(VolumeType.Volume, null, "/anonymous", false, null, null, new VolumeOptions(false, null), null),
            new ServiceVolume(VolumeType.Bind, "/etc/hosts", "/host-hosts", true, null, new BindOptions(null, true, null), null, null),
            new ServiceVolume(VolumeType.Bind, Path.Join(parent, "shared"), "/shared", true, null, new BindOptions("rslave", false, null), null, null),
            new ServiceVolume(VolumeType.Volume, "data", "/sub", false, null, null, new VolumeOptions(true, "logs"), null),
            new ServiceVolume(VolumeType.Tmpfs, null, "/tmp", false, null, null, null, new TmpfsOptions(64 << 20, "1777")),
        ], service.Volumes);
    }

    [Theory]
    [InlineData("- data:relative", "the mount target 'relative' is not an absolute path")]
    [InlineData("- ./a:/b:bogus", "unknown mode 'bogus'")]
    [InlineData("- name:/target:bogus", "unknown mode 'bogus'")]
    [InlineData("- /foo:/foo:ro:foo", "invalid volume '/foo:/foo:ro:foo'")]
    [InlineData("- \":foo\"", "invalid volume ':foo'")]
    [InlineData("- /foo::ro", "invalid volume '/foo::ro'")]
    [InlineData("- \"\"", "invalid volume ''")]
    [InlineData("- undeclared:/data", "uses the volume 'undeclared', which volumes: does not define")]
    [InlineData("- {type: bind, target: /x}", "a bind needs its source")]
    [InlineData("- {type: Bind, source: ., target: /x}", "invalid volume type 'Bind'")]
    public void AnInvalidVolumeIsAnError(string volume, string message)
    {
        var error = project.Error($"services:\n  web:\n    image: nginx\n    volumes:\n      {volume}\n");
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void EnvironmentAsAListOrAMappingAKeyWithoutAValueFromTheEnvironment()
    {
        var yaml = "services:\n  web:\n    image: nginx\n    environment:\n";
        var environment = new Dictionary<string, string> { ["FROM_ENV"] = "host value" };
        var asList = project.LoadYaml(yaml + "      - A=1\n      - B=x=y\n      - FROM_ENV\n      - UNSET\n      - EMPTY=\n", environment).Services["web"];
        var asMap = project.LoadYaml(yaml + "      A: 1\n      B: x=y\n      FROM_ENV:\n      UNSET: ~\n      EMPTY: \"\"\n", environment).Services["web"];

        var expected = new Dictionary<string, string?> { ["A"] = "1", ["B"] = "x=y", ["EMPTY"] = "", ["FROM_ENV"] = "host value", ["UNSET"] = null };
        Assert.Equal(expected, asList.Environment);
        Assert.Equal(expected, asMap.Environment);
        Assert.Equal(["A", "B", "EMPTY", "FROM_ENV", "UNSET"], asList.Environment.Keys);
    }

    [Fact]
    public void EnvFileInEachFormUnderEnvironment()
    {
        project.Write("common.env", "A=from-file\nB=from-file\n# comment\nC=${TAG:-none}\n");
        project.Write("more.env", "B=from-more\n");
        var service = Web("""
            env_file:
              - common.env
              - path: more.env
              - path: missing.env
                required: false
            environment:
              A: from-environment
            """);

        Assert.Equal(new Dictionary<string, string?> { ["A"] = "from-environment", ["B"] = "from-more", ["C"] = "none" }, service.Environment);
        Assert.Equal("from-file", Web("env_file: common.env").Environment["A"]);
        Assert.Contains("the env file", project.Error("services:\n  web:\n    image: nginx\n    env_file: missing.env\n").Message);
    }

    [Fact]
    public void LabelsAsAListOrAMapping()
    {
        var expected = new Dictionary<string, string> { ["com.example.a"] = "1", ["com.example.b"] = "" };
        Assert.Equal(expected, Web("labels: [com.example.a=1, com.example.b]").Labels);
        Assert.Equal(expected, Web("labels: {com.example.a: 1, com.example.b: \"\"}").Labels);
    }

    [Fact]
    public void DependsOnAsAListOrWithConditions()
    {
        var yaml = """
            services:
              db: {image: postgres}
              migrate: {image: app}
              cache: {image: redis}
              web:
                image: app
                depends_on:
            """;
        var asList = project.Service(yaml + "\n      - db\n      - cache\n").DependsOn;
        var asMap = project.Service(yaml + """

                  db: {condition: service_healthy, restart: true}
                  migrate: {condition: service_completed_successfully}
                  cache: {condition: service_started, required: false}
            """).DependsOn;

        Assert.Equal(new Dictionary<string, ServiceDependency>
        {
            ["cache"] = new(DependencyCondition.ServiceStarted, false, true),
            ["db"] = new(DependencyCondition.ServiceStarted, false, true),
        }, asList);
        Assert.Equal(new Dictionary<string, ServiceDependency>
        {
            ["cache"] = new(DependencyCondition.ServiceStarted, false, false),
            ["db"] = new(DependencyCondition.ServiceHealthy, true, true),
            ["migrate"] = new(DependencyCondition.ServiceCompletedSuccessfully, false, true),
        }, asMap);
        Assert.Contains("invalid condition 'service_ready'",
            project.Error("services:\n  db: {image: x}\n  web:\n    image: x\n    depends_on: {db: {condition: service_ready}}\n").Message);
    }

    [Fact]
    public void ADependencyOnAnUndefinedServiceIsAnErrorUnlessNotRequired()
    {
        Assert.Contains("services.web: depends on undefined service 'db'",
            project.Error("services:\n  web:\n    image: x\n    depends_on: [db]\n").Message);
        Assert.Empty(project.Service("services:\n  web:\n    image: x\n    depends_on: {db: {condition: service_started, required: false}}\n").DependsOn);
        Assert.Contains("depends_on makes a cycle: a -> b -> a",
            project.Error("services:\n  a: {image: x, depends_on: [b]}\n  b: {image: x, depends_on: [a]}\n").Message);
    }

    [Fact]
    public void NetworksAsAListOrAMappingAndTheDefaultNetwork()
    {
        var project = this.project.LoadYaml("""
            services:
              web:
                image: nginx
                networks:
                  front:
                    aliases: [www, site]
                    ipv4_address: 172.28.0.10
                    ipv6_address: 2001:db8::10
                  back:
              worker:
                image: app
                networks: [back]
              plain:
                image: app
              host:
                image: app
                network_mode: host
            networks:
              front:
                driver: bridge
                ipam:
                  config:
                    - subnet: 172.28.0.0/16
                      gateway: 172.28.0.1
                labels: [tier=front]
              back:
                internal: true
                name: shared-back
              outside:
                external: true
            """);

        Assert.Equal(ValueMap.Of(new Dictionary<string, ServiceNetwork>
        {
            ["back"] = new([], null, null, null),
            ["front"] = new(["www", "site"], "172.28.0.10", "2001:db8::10", null),
        }), project.Services["web"].Networks);
        Assert.Equal(["back"], project.Services["worker"].Networks.Keys);
        Assert.Equal(["default"], project.Services["plain"].Networks.Keys);
        Assert.Empty(project.Services["host"].Networks);
        Assert.Equal("host", project.Services["host"].NetworkMode);

        Assert.Equal(["back", "default", "front", "outside"], project.Networks.Keys);
        var front = project.Networks["front"];
        Assert.Equal($"{project.Name}_front", front.Name);
        Assert.Equal("bridge", front.Driver);
        Assert.Equal([new IpamPool("172.28.0.0/16", "172.28.0.1", null)], front.Ipam!.Config);
        Assert.Equal("front", front.Labels["tier"]);
        Assert.Equal("shared-back", project.Networks["back"].Name);
        Assert.True(project.Networks["back"].Internal);
        Assert.Equal(("outside", true), (project.Networks["outside"].Name, project.Networks["outside"].External));
        Assert.Equal($"{project.Name}_default", project.Networks["default"].Name);
    }

    [Fact]
    public void AnUndefinedNetworkIsAnError()
    {
        Assert.Contains("network_mode uses service 'vpn', which is not defined", project.Error("services:\n  web:\n    image: x\n    network_mode: service:vpn\n").Message);
        Assert.Equal("service:vpn", project.Service("services:\n  vpn: {image: v}\n  web:\n    image: x\n    network_mode: service:vpn\n").NetworkMode);
        Assert.Contains("uses the network 'nowhere'", project.Error("services:\n  web:\n    image: x\n    networks: [nowhere]\n").Message);
    }

    [Fact]
    public void HealthcheckTestInEveryFormAndDurations()
    {
        var yaml = "healthcheck:\n  test: {0}\n  interval: 1m30s\n  timeout: 10s\n  start_period: 500ms\n  retries: 3";
        var cmd = Web(string.Format(yaml, "[\"CMD\", \"curl\", \"-f\", \"http://localhost\"]")).Healthcheck!;
        var shell = Web(string.Format(yaml, "[\"CMD-SHELL\", \"curl -f http://localhost || exit 1\"]")).Healthcheck!;
        var text = Web(string.Format(yaml, "curl -f http://localhost || exit 1")).Healthcheck!;

        Assert.Equal(["CMD", "curl", "-f", "http://localhost"], cmd.Test);
        Assert.Equal(["CMD-SHELL", "curl -f http://localhost || exit 1"], shell.Test);
        Assert.Equal(shell.Test, text.Test);
        Assert.Equal(TimeSpan.FromSeconds(90), cmd.Interval);
        Assert.Equal(TimeSpan.FromSeconds(10), cmd.Timeout);
        Assert.Equal(TimeSpan.FromMilliseconds(500), cmd.StartPeriod);
        Assert.Equal(3, cmd.Retries);
        Assert.False(cmd.Disable);
        Assert.True(Web("healthcheck:\n  test: [\"NONE\"]").Healthcheck!.Disable);
        Assert.True(Web("healthcheck:\n  disable: true").Healthcheck!.Disable);
        Assert.Contains("services.web.healthcheck.interval: '90 seconds' is not a duration",
            project.Error("services:\n  web:\n    image: x\n    healthcheck: {test: [CMD, x], interval: 90 seconds}\n").Message);
        Assert.Contains("starts with CMD, CMD-SHELL or NONE", project.Error("services:\n  web:\n    image: x\n    healthcheck: {test: [curl, x]}\n").Message);
    }

    [Fact]
    public void CommandAndEntrypointKeepTheFormTheyWereWrittenIn()
    {
        var service = Web("command: echo \"hello world\" 'it''s' a\\ b\nentrypoint: [\"/bin/sh\", \"-c\"]");

        Assert.Equal(["echo", "hello world", "its", "a b"], service.Command!.Words);
        Assert.True(service.Command.WrittenAsString);
        Assert.Equal(["/bin/sh", "-c"], service.Entrypoint!.Words);
        Assert.False(service.Entrypoint.WrittenAsString);
    }

    [Fact]
    public void TheScalarFieldsAreTyped()
    {
        var service = Web("""
            restart: on-failure:3
            user: "1000:1000"
            working_dir: /app
            hostname: web1
            init: true
            read_only: yes
            privileged: false
            tmpfs: /run
            cap_add: [SYS_TIME, NET_ADMIN]
            cap_drop: ALL
            stop_signal: SIGINT
            stop_grace_period: 1m
            container_name: my-web
            pull_policy: missing
            platform: linux/amd64
            mem_limit: 512m
            cpus: 0.5
            dns: 1.1.1.1
            extra_hosts: {db: 10.0.0.2}
            sysctls: [net.core.somaxconn=1024]
            """);

        Assert.Equal("on-failure:3", service.Restart);
        Assert.Equal("1000:1000", service.User);
        Assert.Equal("/app", service.WorkingDir);
        Assert.Equal("web1", service.Hostname);
        Assert.True(service.Init);
        Assert.True(service.ReadOnly);
        Assert.False(service.Privileged);
        Assert.Equal(["/run"], service.Tmpfs);
        Assert.Equal(["NET_ADMIN", "SYS_TIME"], service.CapAdd);
        Assert.Equal(["ALL"], service.CapDrop);
        Assert.Equal("SIGINT", service.StopSignal);
        Assert.Equal(TimeSpan.FromMinutes(1), service.StopGracePeriod);
        Assert.Equal("my-web", service.ContainerName);
        Assert.Equal("missing", service.PullPolicy);
        Assert.Equal("linux/amd64", service.Platform);
        Assert.Equal(512L << 20, service.MemLimit);
        Assert.Equal(0.5, service.Cpus);
        Assert.Equal(["1.1.1.1"], service.Dns);
        Assert.Equal(["db=10.0.0.2"], service.ExtraHosts);
        Assert.Equal("1024", service.Sysctls["net.core.somaxconn"]);
    }

    [Theory]
    [InlineData("restart: sometimes", "invalid restart policy 'sometimes'")]
    [InlineData("pull_policy: often", "invalid pull policy 'often'")]
    [InlineData("mem_limit: lots", "services.web.mem_limit: 'lots' is not a size")]
    [InlineData("init: maybe", "services.web.init: 'maybe' is not a boolean")]
    [InlineData("deploy: {replicas: two}", "services.web.deploy.replicas: 'two' is not an integer")]
    [InlineData("container_name: one\n    deploy: {replicas: 2}", "container_name 'one' names one container")]
    public void AnInvalidValueIsAnErrorNamingTheField(string field, string message)
    {
        Assert.Contains(message, project.Error($"services:\n  web:\n    image: x\n    {field}\n").Message);
    }

    [Fact]
    public void BuildAsAStringOrAMapping()
    {
        Assert.Equal(Path.Join(project.Path, "app"), Web("build: ./app").Build!.Context);
        var build = Web("build:\n  context: app\n  dockerfile: Dockerfile.dev\n  args: [VERSION=1, EMPTY]\n  target: dev\n  labels: {a: b}").Build!;

        Assert.Equal(Path.Join(project.Path, "app"), build.Context);
        Assert.Equal("Dockerfile.dev", build.Dockerfile);
        Assert.Equal(new Dictionary<string, string?> { ["EMPTY"] = null, ["VERSION"] = "1" }, build.Args);
        Assert.Equal("dev", build.Target);
        Assert.Equal("b", build.Labels["a"]);
        Assert.Equal(project.Path, Web("build: {dockerfile: Other}").Build!.Context);
        Assert.Equal("https://github.com/example/app.git#main", Web("build: https://github.com/example/app.git#main").Build!.Context);
    }

    [Fact]
    public void DeployResourcesAndTheOlderLimits()
    {
        var service = Web("""
            deploy:
              replicas: 2
              resources:
                limits: {cpus: "0.50", memory: 1g, pids: 100}
                reservations: {memory: 256M}
            """);

        Assert.Equal(new ServiceDeploy(2, new ServiceResources(1L << 30, 0.5, 100), new ServiceResources(256L << 20, null, null)), service.Deploy);
    }

    [Fact]
    public void SecretsAndConfigsShortLongAndTopLevel()
    {
        project.Write("db_password.txt", "secret");
        var project1 = project.LoadYaml("""
            services:
              web:
                image: nginx
                secrets:
                  - db_password
                  - source: api_key
                    target: key
                    uid: "103"
                    mode: 0440
                configs:
                  - nginx_conf
                  - source: nginx_conf
                    target: /etc/nginx/nginx.conf
            secrets:
              db_password:
                file: ./db_password.txt
              api_key:
                environment: API_KEY
            configs:
              nginx_conf:
                external: true
            """);

        var web = project1.Services["web"];
        Assert.Equal(
        [
            // the digest of what the file holds; none for a variable not set
            new ServiceFileReference("db_password", "/run/secrets/db_password", null, null, null)
            {
                Digest = "sha256:" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData("secret"u8)).ToLowerInvariant(),
            },
            new ServiceFileReference("api_key", "/run/secrets/key", "103", null, Convert.ToInt32("440", 8)),
        ], web.Secrets);
        Assert.Equal(["/nginx_conf", "/etc/nginx/nginx.conf"], web.Configs.Select(c => c.Target));
        Assert.Equal(Path.Join(project.Path, "db_password.txt"), project1.Secrets["db_password"].File);
        Assert.Equal($"{project1.Name}_db_password", project1.Secrets["db_password"].Name);
        Assert.Equal("API_KEY", project1.Secrets["api_key"].Environment);
        Assert.True(project1.Configs["nginx_conf"].External);
        Assert.Equal("nginx_conf", project1.Configs["nginx_conf"].Name);
        Assert.Contains("uses the secret 'nope'", project.Error("services:\n  web:\n    image: x\n    secrets: [nope]\n").Message);
    }

    [Fact]
    public void TopLevelVolumesNamesExternalAndDrivers()
    {
        var loaded = project.LoadYaml("""
            services:
              web: {image: x, volumes: ["data:/data", "logs:/logs", "old:/old"]}
            volumes:
              data:
              logs:
                name: shared-logs
                driver: local
                driver_opts: {type: tmpfs, device: tmpfs}
                labels: {backup: "yes"}
              old:
                external: true
            """);

        Assert.Equal($"{loaded.Name}_data", loaded.Volumes["data"].Name);
        Assert.Equal(new ComposeVolume("shared-logs", "local", loaded.Volumes["logs"].DriverOptions, false, loaded.Volumes["logs"].Labels), loaded.Volumes["logs"]);
        Assert.Equal("tmpfs", loaded.Volumes["logs"].DriverOptions["type"]);
        Assert.Equal("yes", loaded.Volumes["logs"].Labels["backup"]);
        Assert.Equal(("old", true), (loaded.Volumes["old"].Name, loaded.Volumes["old"].External));
    }

    [Fact]
    public void UnknownKeysAreErrorsAndExtensionsAreIgnored()
    {
        Assert.Contains("services.web: unknown field 'imag'", project.Error("services:\n  web:\n    imag: nginx\n").Message);
        Assert.Contains("unknown field 'service'", project.Error("service:\n  web:\n    image: nginx\n").Message);
        var web = project.Service("x-common: &common\n  image: nginx\nservices:\n  web:\n    <<: *common\n    x-note: ignored\n    logging: {driver: json-file}\n");
        Assert.Equal("nginx", web.Image);
        Assert.Equal("""{"driver":"json-file"}""", web.OtherFields["logging"]);
        Assert.Contains("a service needs an image or a build", project.Error("services:\n  web:\n    restart: always\n").Message);
    }
}
