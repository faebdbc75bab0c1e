using Container.Runtime.Containers;
using Xunit;

namespace Container.Tests.Containers;

/// <summary>A user's groups as docker gives them: the primary group, then each group of /etc/group that lists the user, once each, in the file's order.</summary>
public sealed class UserResolverTests : IDisposable
{
    private readonly string layer = Directory.CreateTempSubdirectory("user-resolver-").FullName;

    public UserResolverTests() => Directory.CreateDirectory(Path.Combine(layer, "etc"));

    public void Dispose() => Directory.Delete(layer, recursive: true);

    [Fact]
    public void AdditionalGroupsArePrimaryThenEachListingGroupOnceInOrder()
    {
        File.WriteAllText(Path.Combine(layer, "etc/passwd"), "root:x:0:0::/root:/bin/sh\napp:x:1000:100::/home/app:/bin/sh\n");
        // users (100) lists app too, as the primary group; wheel comes before audio; other does not list app; again is 10 once more
        File.WriteAllText(Path.Combine(layer, "etc/group"), "users:x:100:app\nwheel:x:10:root,app\nother:x:20:root\naudio:x:29:app\nagain:x:10:app\n");

        var user = UserResolver.Resolve("app", [layer]);

        Assert.Equal((1000u, 100u, "/home/app"), (user.Uid, user.Gid, user.Home));
        Assert.Equal([100u, 10u, 29u], user.AdditionalGids);
    }

    [Fact]
    public void ANumericUserHasOnlyItsPrimaryGroup()
    {
        File.WriteAllText(Path.Combine(layer, "etc/group"), "wheel:x:10:app\n");

        Assert.Equal([7u], UserResolver.Resolve("1000:7", [layer]).AdditionalGids);
    }

    [Fact]
    public void AListingGroupWithABadGidIsRefused()
    {
        File.WriteAllText(Path.Combine(layer, "etc/passwd"), "app:x:1000:100::/home/app:/bin/sh\n");
        File.WriteAllText(Path.Combine(layer, "etc/group"), "huge:x:4294967295:app\n");

        var error = Assert.ThrowsAny<Container.Runtime.Errors.ContainerException>(() => UserResolver.Resolve("app", [layer]));
        Assert.Contains("4294967295", error.Message);
    }
}
