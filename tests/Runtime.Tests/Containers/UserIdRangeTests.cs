using Container.Runtime.Containers;
using Container.Runtime.Errors;
using Container.Runtime.Images;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Containers;

/// <summary>
/// A uid or gid above 2147483647 is refused wherever it comes from: -User, or an image's
/// /etc/passwd and /etc/group. 4294967295 is (uid_t)-1, which setresuid reads as "unchanged":
/// a runtime that passed it on would leave the process root with every default capability.
/// </summary>
[Trait("Category", "Kernel")]
public sealed class UserIdRangeTests : IDisposable
{
    private readonly TestStore store = new();

    public void Dispose() => store.Dispose();

    private static void AssertInvalidUser(Action act)
    {
        var error = Assert.Throws<ContainerException>(act);
        Assert.Equal("InvalidUser", error.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Contains("0 to 2147483647", error.Message);
    }

    [Theory]
    [InlineData("4294967295")]
    [InlineData("0:4294967295")]
    [InlineData("2147483648:0")]
    [InlineData("99999999999")]
    public void AnIdOutOfRangeIsRefusedAndNoContainerIsMade(string user)
    {
        AssertInvalidUser(() => store.Containers.Create(new ContainerSpec { Image = TestStore.Image, Name = "box", User = user, Command = ["id"] }));
        Assert.Empty(store.Containers.List());
    }

    [Fact]
    public void TheHighestIdRuns()
    {
        store.Containers.Create(new ContainerSpec { Image = TestStore.Image, Name = "box", User = "2147483647:2147483647", Command = ["sh", "-c", "id -u; id -g"] });
        store.Containers.Start("box");
        Assert.Equal(0, store.Containers.Wait("box", TimeSpan.FromSeconds(30)).ExitCode);
        Assert.Equal("2147483647\n2147483647", store.Output("box"));
    }

    [Fact]
    public void IdsOutOfRangeInTheImagesPasswdAndGroupAreRefused()
    {
        // the container writes the entries: exec reads its /etc/passwd as it is now, and a commit makes them an image's
        store.Containers.Create(new ContainerSpec
        {
            Image = TestStore.Image, Name = "box", Command = ["sh", "-c",
                "echo evil:x:4294967295:0::/:/bin/sh >> /etc/passwd; echo badgid:x:7:4294967295::/:/bin/sh >> /etc/passwd; " +
                "echo worker:x:1234:1234::/tmp:/bin/sh >> /etc/passwd; echo huge:x:4294967295:worker >> /etc/group; " +
                "touch /ready; exec sleep 1000"],
        });
        store.Containers.Start("box");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (store.Containers.Exec("box", new ExecSpec { Command = ["test", "-e", "/ready"] }, (_, _) => { }) != 0)
            Assert.True(DateTime.UtcNow < deadline, "the container never got ready");

        var ran = false;
        foreach (var user in new[] { "evil", "badgid", "worker", "0:huge", "4294967295", "0:4294967295" })
            AssertInvalidUser(() => store.Containers.Exec("box", new ExecSpec { User = user, Command = ["true"] }, (_, _) => ran = true));
        Assert.False(ran, "a process ran");
        // an id in range still works, from the same files
        var lines = new List<string>();
        Assert.Equal(0, store.Containers.Exec("box", new ExecSpec { User = "badgid:0", Command = ["id", "-u"] }, (_, line) => lines.Add(line)));
        Assert.Equal(["7"], lines);

        store.Containers.Commit("box", ImageReference.Parse("evil:test"));
        foreach (var user in new[] { "evil", "badgid", "worker" })
            AssertInvalidUser(() => store.Containers.Create(new ContainerSpec { Image = "evil:test", User = user, Command = ["id"] }));
        Assert.Single(store.Containers.List());
    }
}
