using Container.Runtime.Errors;
using Container.Runtime.Registries;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Registries;

/// <summary>
/// A container's image pulled as docker run --pull says, short names resolved through the
/// search registries of registries.conf, and its insecure registries, against a real registry.
/// </summary>
public sealed partial class RegistryPullPushTests
{
    [SkippableFact]
    public void AShortNameIsPulledFromTheOneSearchRegistryAndThenFoundInTheStoreByIt()
    {
        using var registry = Start();
        Registries(store).Push(Committed("short:1"), $"{registry.Host}/team/short:1");
        var service = Registries(other, configuration: new RegistriesConfiguration { SearchRegistries = [registry.Host] });

        Assert.Null(service.Stored("team/short:1", PullPolicy.Missing));
        var name = service.PullForContainer("team/short:1");
        Assert.Equal($"{registry.Host}/team/short:1", name);
        Assert.Equal(name, service.Stored("team/short:1", PullPolicy.Missing));
        Assert.Equal("made here\nran from the registry", RunIn(other, name));
    }

    [SkippableFact]
    public void AShortNameTwoSearchRegistriesMayServeIsAnErrorAndPullsNothing()
    {
        using var registry = Start();
        Registries(store).Push(Committed("twice:1"), $"{registry.Host}/team/twice:1");
        var service = Registries(other, configuration: new RegistriesConfiguration { SearchRegistries = [registry.Host, "registry.invalid"] });
        var before = other.Engine.Images.List().Count;

        var error = Assert.Throws<ContainerException>(() => service.PullForContainer("team/twice:1"));
        Assert.Equal("AmbiguousShortName", error.ErrorId);
        Assert.Contains($"{registry.Host}/team/twice:1", error.Message);
        Assert.Contains("registry.invalid/team/twice:1", error.Message);
        Assert.Equal(before, other.Engine.Images.List().Count);
    }

    [SkippableFact]
    public void MissingPullsOnlyWhatTheStoreLacksAlwaysTakesTheTagsNewestAndNeverPullsNothing()
    {
        using var registry = Start();
        var reference = $"{registry.Host}/team/moving:1";
        Registries(store).Push(Committed("moving:1"), reference);
        var service = Registries(other);
        Assert.Equal("ImageNotFound", Assert.Throws<ContainerException>(() => service.Stored(reference, PullPolicy.Never)).ErrorId);
        Assert.Null(service.Stored(reference, PullPolicy.Missing));
        service.PullForContainer(reference);
        var first = other.Engine.Images.Get(reference).Id;

        // the tag moves on in the registry: missing keeps what the store has, always fetches the new one
        Assert.Equal(0, store.Run("mover", "sh", "-c", "echo moved > /moved").Container.ExitCode);
        store.Containers.Commit("mover", Runtime.Images.ImageReference.Parse("moving:1"));
        Registries(store).Push("moving:1", reference);
        Assert.Equal(reference, service.Stored(reference, PullPolicy.Missing));
        Assert.Equal(reference, service.Stored(reference, PullPolicy.Never));
        Assert.Null(service.Stored(reference, PullPolicy.Always));
        service.PullForContainer(reference);
        Assert.NotEqual(first, other.Engine.Images.Get(reference).Id);
        Assert.Equal(store.Engine.Images.Get("moving:1").Id, other.Engine.Images.Get(reference).Id);
    }

    [SkippableFact]
    public void SkippingTlsVerificationTakesACertificateNoCaVouchesFor()
    {
        using var registry = Start(new RegistryOptions { Tls = true });
        var reference = $"{registry.Host}/team/unverified:1";
        Assert.Equal("RegistryUnreachable", Assert.Throws<ContainerException>(() => Registries(store).Push(TestStore.Image, reference)).ErrorId);
        Registries(store).SkippingTlsVerification().Push(TestStore.Image, reference);
        Assert.Equal(store.Engine.Images.Get(TestStore.Image).Id, Registries(other).SkippingTlsVerification().Pull(reference).Id);
        // the service it came from verifies still
        Assert.Equal("RegistryUnreachable", Assert.Throws<ContainerException>(() => Registries(other).Pull(reference)).ErrorId);
    }

    [SkippableFact]
    public void ALoginCheckedWithTlsUnverifiedIsStoredAndServesTheUnverifiedPush()
    {
        using var registry = Start(new RegistryOptions { Tls = true, Basic = ("tester", "pw") });
        var login = new RegistryLogin("tester", "pw");
        Assert.Equal("RegistryUnreachable", Assert.Throws<ContainerException>(() => Registries(store).Login(registry.Host, login)).ErrorId);
        var unverified = Registries(store).SkippingTlsVerification();
        Assert.Equal("RegistryAuthenticationFailed",
            Assert.Throws<ContainerException>(() => unverified.Login(registry.Host, new RegistryLogin("tester", "wrong"))).ErrorId);

        unverified.Login(registry.Host, login);
        unverified.Push(TestStore.Image, $"{registry.Host}/team/logged-in:1");
        Assert.Equal(["1"], unverified.Tags($"{registry.Host}/team/logged-in"));
    }

    [SkippableFact]
    public void ARegistryInsecureInRegistriesConfIsReachedWithItsCertificateUnverified()
    {
        using var registry = Start(new RegistryOptions { Tls = true });
        var reference = $"{registry.Host}/team/insecure:1";
        Assert.Equal("RegistryUnreachable", Assert.Throws<ContainerException>(() => Registries(store).Push(TestStore.Image, reference)).ErrorId);
        var insecure = new RegistriesConfiguration { InsecureRegistries = [registry.Host] };
        Registries(store, configuration: insecure).Push(TestStore.Image, reference);
        Assert.Equal(store.Engine.Images.Get(TestStore.Image).Digest, registry.ManifestDigestWithSkopeo("team/insecure:1"));
    }
}
