using Container.Runtime.Compose;
using Container.Runtime.Errors;
using Container.Runtime.Volumes;
using Xunit;

namespace Container.Tests.Compose;

/// <summary>Where a service's secrets and configs are bound from and to, and what up refuses or notes of them, without a container.</summary>
public sealed class ServiceFilesTests : IDisposable
{
    private readonly ComposeDirectory directory = new();

    public void Dispose() => directory.Dispose();

    private const string Store = "/store/projects/p";

    [Fact]
    public void AFileIsBoundAsItIsAndWhatIsWrittenIsNamedByItsKeyAndWhatTheReferenceAsks()
    {
        var key = directory.Write("key.txt", "k");
        var project = directory.LoadYaml("""
            name: p
            services:
              web:
                image: busybox
                secrets:
                  - key
                  - source: key
                    target: again
                    mode: 0400
                  - source: token
                    uid: "33"
                configs: [site]
            secrets:
              key: {file: ./key.txt}
              token: {content: t}
            configs:
              site: {content: s}
            """);
        var notes = new List<string>();

        var files = ServiceFiles.Of(project, Store, notes.Add);
        var mounts = ServiceFiles.MountsOf(project, project.Services["web"], Store).ToList();

        Assert.Equal([(key, "/run/secrets/key"), (key, "/run/secrets/again"), ($"{Store}/secrets/token@33::", "/run/secrets/token"), ($"{Store}/configs/site", "/site")],
            mounts.Select(m => (m.Source, m.Target)));
        Assert.All(mounts, m => Assert.Equal((MountType.Bind, true, false), (m.Type, m.ReadOnly, m.CreateSource)));
        // what up writes: not the file: source, which it binds as it is
        Assert.Equal([null, null, "t"u8.ToArray(), "s"u8.ToArray()], files.Select(f => f.Content));
        Assert.Equal(((uint)33, (uint)0), files[2].Owner);
        Assert.Equal([UnixFileMode.UserRead, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead], files.Skip(2).Select(f => f.Mode));
        Assert.Equal(["web: secrets.key is a file: its uid, gid and mode are not given to a bind mount, and are left as the file has them"], notes);
    }

    [Fact]
    public void AnOwnerThatIsNoNumberIsRefused()
    {
        var project = directory.LoadYaml("""
            services:
              web:
                image: busybox
                secrets: [{source: token, uid: www-data}]
            secrets:
              token: {content: t}
            """);

        var error = Assert.Throws<ContainerException>(() => ServiceFiles.Of(project, Store, _ => { }));

        Assert.Equal(("ComposeFileOwnerInvalid", ErrorKind.InvalidArgument), (error.ErrorId, error.Kind));
        Assert.Contains("uid 'www-data'", error.Message);
    }
}
