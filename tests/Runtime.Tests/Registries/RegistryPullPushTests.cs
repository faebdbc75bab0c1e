using Container.Runtime.Errors;
using Container.Runtime.Registries;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Registries;

/// <summary>
/// Pull, push and login against a real registry of the test's own (docker-registry on
/// 127.0.0.1): what we push runs from another store and skopeo reads it; what skopeo pushes
/// we pull and run; logins are checked before they are stored; TLS is verified with the
/// registry's CA from certs.d; a corrupted blob is refused and leaves nothing.
/// </summary>
[Trait("Category", "Registry")]
public sealed partial class RegistryPullPushTests : IDisposable
{
    private readonly TestStore store = new();
    private readonly TestStore other = new();
    private readonly string dir = Directory.CreateTempSubdirectory("registry-client-").FullName;

    public void Dispose()
    {
        store.Dispose();
        other.Dispose();
        Directory.Delete(dir, recursive: true);
    }

    private static LocalRegistry Start(RegistryOptions? options = null) => RegistryTestSupport.Start(options);

    private RegistryService Registries(TestStore of, LocalRegistry? trusting = null, RegistriesConfiguration? configuration = null) =>
        RegistryTestSupport.Registries(of, dir, trusting, configuration);

    private string Committed(string name) => RegistryTestSupport.Committed(store, name);

    private static string RunIn(TestStore where, string image) => RegistryTestSupport.RunIn(where, image);

    [SkippableFact]
    public void WhatWePushRunsFromAnotherStoreAndSkopeoReadsIt()
    {
        using var registry = Start();
        var image = Committed("made:1");
        var reference = $"{registry.Host}/team/made:1";
        Registries(store).Push(image, reference);
        Assert.Equal(store.Engine.Images.Get(image).Digest, registry.ManifestDigestWithSkopeo("team/made:1"));
        // pushed again: every blob is there already, and the manifest goes as it is
        Registries(store).Push(image, reference);
        Assert.Equal(["1"], Registries(store).Tags($"{registry.Host}/team/made"));

        var pulled = Registries(other).Pull(reference);
        Assert.Equal(store.Engine.Images.Get(image).Id, pulled.Id);
        Assert.Equal("made here\nran from the registry", RunIn(other, reference));
    }

    [SkippableFact]
    public void WhatSkopeoPushesWePullAndRun()
    {
        using var registry = Start();
        registry.PushWithSkopeo($"oci:{PeerImages.Layout}:v1", "peer/busybox:v1");
        var digest = registry.ManifestDigestWithSkopeo("peer/busybox:v1");
        var pulled = Registries(other).Pull($"{registry.Host}/peer/busybox@{digest}");
        Assert.Equal(digest, pulled.Digest);
        Assert.Equal("ran from the registry", RunIn(other, $"{registry.Host}/peer/busybox@{digest}"));
    }

    [SkippableFact]
    public void ACorruptedBlobIsRefusedAndLeavesNothingWhileAPullOfBlobsTheStoreHasFetchesNone()
    {
        using var registry = Start();
        var image = Committed("corrupt:1");
        var reference = $"{registry.Host}/team/corrupt:1";
        Registries(store).Push(image, reference);
        var layer = store.Engine.Images.ReadManifest(store.Engine.Images.Get(image).Digest).Manifest.Layers[^1].Digest;
        var data = Path.Combine(registry.DataDir, "docker", "registry", "v2", "blobs", "sha256", layer[7..9], layer[7..], "data");
        var size = new FileInfo(data).Length;
        File.WriteAllBytes(data, new byte[size]);

        // the store that pushed it has every blob: nothing is fetched, and the pull works
        Assert.Equal(store.Engine.Images.Get(image).Id, Registries(store).Pull(reference).Id);

        var error = Assert.Throws<ContainerException>(() => Registries(other).Pull(reference));
        Assert.Equal("RegistryBlobRefused", error.ErrorId);
        Assert.DoesNotContain(other.Engine.Images.List(), i => i.Reference == reference);
        Assert.False(other.Engine.Images.Blobs.Exists(layer));
        Assert.Empty(Directory.EnumerateFileSystemEntries(other.Engine.Paths.StagingDir));
    }

    [SkippableFact]
    public void ALoginIsCheckedBeforeItIsStoredAndThenServesPullAndPush()
    {
        using var registry = Start(new RegistryOptions { Basic = ("ci", "right") });
        var service = Registries(store);
        var reference = $"{registry.Host}/team/private:1";
        Assert.Equal("RegistryAuthenticationFailed", Assert.Throws<ContainerException>(() => service.Push(TestStore.Image, reference)).ErrorId);
        Assert.Equal("RegistryAuthenticationFailed", Assert.Throws<ContainerException>(() => service.Login(registry.Host, new RegistryLogin("ci", "wrong"))).ErrorId);
        Assert.Null(service.Credentials.Find(registry.Host));

        service.Login(registry.Host, new RegistryLogin("ci", "right"));
        var image = Committed("private:1");
        service.Push(image, reference);
        Assert.Equal(store.Engine.Images.Get(image).Id, Registries(other).Pull(reference).Id);
        // a login given for the call wins over the stored one
        Assert.Equal("RegistryAuthenticationFailed",
            Assert.Throws<ContainerException>(() => Registries(other).Pull(reference, login: new RegistryLogin("ci", "wrong"))).ErrorId);
        Assert.True(service.Logout(registry.Host));
        Assert.Equal("RegistryAuthenticationFailed", Assert.Throws<ContainerException>(() => Registries(other).Tags($"{registry.Host}/team/private")).ErrorId);
    }

    [SkippableFact]
    public void TlsIsVerifiedWithTheRegistrysCaFromCertsD()
    {
        using var registry = Start(new RegistryOptions { Tls = true });
        var reference = $"{registry.Host}/team/tls:1";
        // 127.0.0.1 may speak plain HTTP, but TLS it speaks is verified: no CA, no push
        var error = Assert.Throws<ContainerException>(() => Registries(store).Push(TestStore.Image, reference));
        Assert.Equal("RegistryUnreachable", error.ErrorId);
        Registries(store, trusting: registry).Push(TestStore.Image, reference);
        Assert.Equal(store.Engine.Images.Get(TestStore.Image).Digest, registry.ManifestDigestWithSkopeo("team/tls:1"));
    }

    [SkippableFact]
    public void ANameTheRegistryDoesNotHaveIsNotFound()
    {
        using var registry = Start();
        var before = other.Engine.Images.List().Select(i => i.Reference).ToList();
        Assert.Equal("RegistryImageNotFound", Assert.Throws<ContainerException>(() => Registries(other).Pull($"{registry.Host}/no/such:1")).ErrorId);
        Assert.Equal(before, other.Engine.Images.List().Select(i => i.Reference));
    }
}
