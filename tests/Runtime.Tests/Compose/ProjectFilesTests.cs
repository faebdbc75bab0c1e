using Container.Runtime.Compose;
using Container.Runtime.Containers;
using Container.Runtime.Errors;
using Container.Tests.Fixtures;
using Container.Tests.Networks;
using Xunit;

namespace Container.Tests.Compose;

/// <summary>
/// A project's secrets and configs in its containers, as docker compose puts them there: read
/// from inside, read-only, with their modes and owners; a change of content makes the service
/// anew; down removes what up wrote; a source that cannot be had leaves nothing made.
/// </summary>
[Trait("Category", "Kernel")]
public sealed class ProjectFilesTests : IDisposable
{
    private readonly ComposeDirectory directory = new();

    public void Dispose() => directory.Dispose();

    private static string Vault() => $$"""
        name: vault
        services:
          app:
            image: {{TestStore.Image}}
            command: ["sleep", "100000"]
            network_mode: none
            secrets:
              - db_password
              - source: token
                target: api_token
                uid: "1000"
                gid: "1001"
                mode: 0440
            configs:
              - site
              - source: site
                target: /etc/site.conf
          other:
            image: {{TestStore.Image}}
            command: ["sleep", "100000"]
            network_mode: none
        secrets:
          db_password:
            file: ./db_password.txt
          token:
            environment: TOKEN
        configs:
          site:
            content: |
              listen 80
        """;

    private ComposeProject Load(string token, string yaml) =>
        directory.LoadYaml(yaml, new Dictionary<string, string> { ["TOKEN"] = token });

    private static string Exec(TestStore store, string container, string script)
    {
        var lines = new List<string>();
        store.Containers.Exec(container, new ExecSpec { Command = ["sh", "-c", script] }, (_, line) => lines.Add(line));
        return string.Join('\n', lines);
    }

    [SkippableFact]
    public void UpMountsEachReadOnlyAtItsTargetWithItsModeAndOwnerAndDownRemovesWhatItWrote()
    {
        Skip.If(Runtime.Linux.Libc.Geteuid() != 0, "containers need root");
        using var store = new TestStore();
        var passwordFile = directory.Write("db_password.txt", "s3cret");
        var project = Load("t0ken", Vault());

        store.Engine.Projects.Up(project, new ProjectUpOptions(), _ => { });

        Assert.Equal("s3cret|t0ken|listen 80|listen 80",
            Exec(store, "vault-app-1", "echo \"$(cat /run/secrets/db_password)|$(cat /run/secrets/api_token)|$(cat /site)|$(cat /etc/site.conf)\""));
        // written ones with the reference's mode and owner, else a secret's 0400 and a config's 0444
        Assert.Equal("1000 1001 440\n0 0 444\n0 0 444",
            Exec(store, "vault-app-1", "stat -c '%u %g %a' /run/secrets/api_token /site /etc/site.conf"));
        // read-only even to the container's root, who may write any file
        Assert.Equal("read-only\nread-only\nread-only\nread-only", Exec(store, "vault-app-1",
            "for f in /run/secrets/db_password /run/secrets/api_token /site /etc/site.conf; do echo x 2>/dev/null > $f && echo written || echo read-only; done"));
        Assert.Equal("s3cret", File.ReadAllText(passwordFile));
        Assert.Equal("absent", Exec(store, "vault-other-1", "test -e /run/secrets/db_password && echo present || echo absent"));

        var projectDirectory = store.Paths.ProjectDir("vault");
        Assert.Equal("t0ken", File.ReadAllText(Path.Combine(projectDirectory, "secrets", "token@1000:1001:440")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            File.GetUnixFileMode(Path.Combine(projectDirectory, "configs", "site")));
        // a file: source is bound as it is, never copied
        Assert.False(Directory.Exists(Path.Combine(projectDirectory, "secrets", "db_password")) || File.Exists(Path.Combine(projectDirectory, "secrets", "db_password")));

        store.Engine.Projects.Down("vault", removeVolumes: false, _ => { });
        Assert.Empty(store.Containers.List());
        Assert.False(Directory.Exists(projectDirectory));
        Assert.Equal("s3cret", File.ReadAllText(passwordFile));
    }

    [SkippableFact]
    public void ANewContentMakesAnewTheServicesThatUseItAndOnlyThose()
    {
        Skip.If(Runtime.Linux.Libc.Geteuid() != 0, "containers need root");
        using var store = new TestStore();
        var projects = store.Engine.Projects;
        directory.Write("db_password.txt", "s3cret");
        var first = projects.Up(Load("t0ken", Vault()), new ProjectUpOptions(), _ => { }).ToDictionary(c => c.Name);

        // nothing changed: both kept
        Assert.Empty(projects.Plan(Load("t0ken", Vault())).Changes);

        var newToken = Load("n3w", Vault());
        var change = Assert.Single(projects.Plan(newToken).Changes);
        Assert.Equal(("vault-app-1", ServiceActionKind.Recreate), (change.Container, change.Kind));
        Assert.Equal(["secrets"], change.Changed);
        var second = projects.Up(newToken, new ProjectUpOptions(), _ => { }).ToDictionary(c => c.Name);
        Assert.NotEqual(first["vault-app-1"].Id, second["vault-app-1"].Id);
        Assert.Equal(first["vault-other-1"].Id, second["vault-other-1"].Id);
        Assert.Equal("n3w", Exec(store, "vault-app-1", "cat /run/secrets/api_token"));

        // a file: source whose file changed: the bind shows it at once, and up makes the service anew, as docker compose does
        directory.Write("db_password.txt", "rotated");
        var rotated = Load("n3w", Vault());
        Assert.Equal(["secrets"], Assert.Single(projects.Plan(rotated).Changes).Changed);
        var third = projects.Up(rotated, new ProjectUpOptions(), _ => { }).ToDictionary(c => c.Name);
        Assert.NotEqual(second["vault-app-1"].Id, third["vault-app-1"].Id);
        Assert.Equal("rotated", Exec(store, "vault-app-1", "cat /run/secrets/db_password"));
        Assert.Equal(ContainerStatus.Running, third["vault-app-1"].Status);

        projects.Down("vault", removeVolumes: false, _ => { });
    }

    [SkippableTheory]
    [InlineData("secrets:\n  extra: {external: true}", "ComposeSecretExternal", ErrorKind.NotImplemented)]
    [InlineData("configs:\n  extra: {file: ./not-there.conf}", "ComposeConfigFileNotFound", ErrorKind.ObjectNotFound)]
    [InlineData("secrets:\n  extra: {environment: NOT_SET_ANYWHERE}", "ComposeVariableNotSet", ErrorKind.InvalidArgument)]
    public void ASourceThatCannotBeHadIsAnErrorBeforeAnythingIsMade(string declaration, string errorId, ErrorKind kind)
    {
        using var host = KernelEngineHost.Create();
        var field = declaration.StartsWith("secrets", StringComparison.Ordinal) ? "secrets" : "configs";
        // on the project's own network and with a volume: up would make both first, were it not stopped before
        var project = directory.LoadYaml($$"""
            name: broken
            services:
              app:
                image: {{TestStore.Image}}
                command: ["sleep", "100000"]
                volumes: ["data:/data"]
                {{field}}: [extra]
            volumes:
              data: {}
            {{declaration}}
            """);

        var error = Assert.Throws<ContainerException>(() => host.Engine.Projects.Up(project, new ProjectUpOptions(), _ => { }));

        Assert.Equal((errorId, kind), (error.ErrorId, error.Kind));
        Assert.Contains($"{field}.extra", error.Message);
        Assert.Empty(host.Containers.List());
        Assert.DoesNotContain(host.Engine.Networks.List(), n => n.Name == "broken_default");
        Assert.Empty(host.Engine.Volumes.List());
        Assert.False(Directory.Exists(host.Engine.Paths.ProjectDir("broken")));
    }

    [SkippableFact]
    public void AFileThatWentMissingIsTheErrorUpStopsOnNotAChangeAndWhatRunsIsLeftAsItIs()
    {
        Skip.If(Runtime.Linux.Libc.Geteuid() != 0, "containers need root");
        using var store = new TestStore();
        var projects = store.Engine.Projects;
        var passwordFile = directory.Write("db_password.txt", "s3cret");
        var running = projects.Up(Load("t0ken", Vault()), new ProjectUpOptions(), _ => { }).ToDictionary(c => c.Name);

        // as docker compose, the project is still read (down, stop and ls need no secret), but its plan and its up refuse
        File.Delete(passwordFile);
        var missing = Load("t0ken", Vault());
        var planned = Assert.Throws<ContainerException>(() => projects.Plan(missing));
        Assert.Equal(("ComposeSecretFileNotFound", ErrorKind.ObjectNotFound), (planned.ErrorId, planned.Kind));
        Assert.Contains($"secrets.db_password: its file '{passwordFile}' does not exist", planned.Message);
        var up = Assert.Throws<ContainerException>(() => projects.Up(missing, new ProjectUpOptions(), _ => { }));
        Assert.Equal(planned.Message, up.Message);
        Assert.All(projects.ContainersOf("vault"), c => Assert.Equal((running[c.Name].Id, ContainerStatus.Running), (c.Id, c.Status)));

        // the file back as it was: nothing changed
        directory.Write("db_password.txt", "s3cret");
        Assert.Empty(projects.Plan(Load("t0ken", Vault())).Changes);
        projects.Down("vault", removeVolumes: false, _ => { });
    }

    [Fact]
    public void AnUndeclaredSourceIsRefusedWhenTheProjectIsRead()
    {
        var error = directory.Error("services:\n  app:\n    image: busybox\n    network_mode: none\n    configs: [nowhere]\n");
        Assert.Contains("uses the config 'nowhere', which configs: does not define", error.Message);
    }
}
