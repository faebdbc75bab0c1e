using Container.Runtime.Containers;
using Container.Runtime.Errors;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Containers;

/// <summary>What a user is told: refusals at creation rather than at start, and errors that name a container as the user did.</summary>
[Trait("Category", "Kernel")]
public sealed class WhatAUserIsToldTests : IDisposable
{
    private readonly TestStore store = new();

    public void Dispose() => store.Dispose();

    private ContainerSpec Spec(string name) => new() { Image = TestStore.Image, Name = name, Command = ["sleep", "300"] };

    [Fact]
    public void CreationRefusesWhatWouldFailOnlyAtStart()
    {
        (ContainerSpec Spec, string ErrorId)[] cases =
        [
            (Spec("nan") with { Limits = new ResourceLimits { Cpus = double.NaN } }, "InvalidLimit"),
            (Spec("relative") with { WorkingDirectory = "srv/app" }, "InvalidWorkingDirectory"),
            (Spec("long-host") with { Hostname = new string('h', 65) }, "InvalidHostname"),
        ];
        foreach (var (spec, errorId) in cases)
        {
            var e = Assert.Throws<ContainerException>(() => store.Containers.Create(spec));
            Assert.Equal(errorId, e.ErrorId);
            Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        }
        Assert.Empty(store.Containers.List());

        Assert.Equal(new string('h', 64), store.Containers.Create(Spec("longest-host") with { Hostname = new string('h', 64) }).Hostname);
    }

    [Fact]
    public void ANameTooLongForAHostnameGivesTheShortIdAsHostname()
    {
        var name = new string('n', 100);
        var created = store.Containers.Create(Spec(name) with { Command = ["hostname"] });
        Assert.Equal(created.ShortId, created.Hostname);

        store.Containers.Start(name);
        Assert.Equal(0, store.Containers.Wait(name, TimeSpan.FromSeconds(30)).ExitCode);
        Assert.Equal(created.ShortId, store.Output(name));
    }

    [Fact]
    public void ContainersAreActedOnAsTheUserNamedThem()
    {
        var web = store.Containers.Create(Spec("web"));

        Assert.Equal(["web"], store.Containers.Select("web"));
        Assert.Equal([web.ShortId], store.Containers.Select(web.ShortId));
        Assert.Equal([web.Id], store.Containers.Select(web.Id));
        Assert.Equal(["web"], store.Containers.Select("w*"));
        Assert.Empty(store.Containers.Select("x*"));
    }

    [Fact]
    public void ANameInAStoreWithoutContainersIsNotFound()
    {
        using var empty = new TestStore(withImage: false);
        var e = Assert.Throws<ContainerException>(() => empty.Containers.Get("web"));
        Assert.Equal("ContainerNotFound", e.ErrorId);
        Assert.Equal("web", e.Target);
    }

    [Fact]
    public void ErrorsNameTheContainerAsTheUserDid()
    {
        var web = store.Containers.Create(Spec("web"));
        foreach (var reference in new[] { web.ShortId, web.Id[..5], "web" })
        {
            var e = Assert.Throws<ContainerException>(() => store.Containers.Pause(reference, pause: true));
            Assert.Equal("ContainerNotRunning", e.ErrorId);
            Assert.Equal(reference, e.Target);
            Assert.Contains($"'{reference}'", e.Message);
        }

        store.Containers.Start("web");
        var timeout = Assert.Throws<ContainerException>(() => store.Containers.Wait(web.ShortId, TimeSpan.Zero));
        Assert.Equal("OperationTimeout", timeout.ErrorId);
        Assert.Equal(web.ShortId, timeout.Target);
    }
}
