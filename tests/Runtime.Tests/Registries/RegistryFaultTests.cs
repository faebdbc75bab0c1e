using System.Diagnostics;
using System.Security.Cryptography;
using Container.Runtime.Errors;
using Container.Runtime.Images;
using Container.Runtime.Registries;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Registries;

/// <summary>
/// A real registry behind a proxy that injects faults (<see cref="FaultProxy"/>): transient
/// answers and dropped connections are retried, a blob cut mid-way resumes with a Range
/// request, a cut that never ends fails and leaves nothing, a proxy that refuses a large
/// upload gets it in chunks, and a registry that never serves fails clearly, soon.
/// </summary>
[Trait("Category", "Registry")]
public sealed class RegistryFaultTests : IDisposable
{
    private readonly TestStore store = new();
    // a store without the test image: a pull into it fetches every blob
    private readonly TestStore empty = new(withImage: false);
    private readonly string dir = Directory.CreateTempSubdirectory("registry-faults-").FullName;

    public RegistryFaultTests()
    {
        // the back-off's shape, not its length, is under test: Retry-After still asks for its seconds
        RegistryRetries.BackOff = TimeSpan.FromMilliseconds(10);
    }

    public void Dispose()
    {
        RegistryRetries.BackOff = TimeSpan.FromMilliseconds(500);
        store.Dispose();
        empty.Dispose();
        Directory.Delete(dir, recursive: true);
    }

    /// <summary>The registry with the test image pushed straight to it (as team/app:1), and the proxy before it.</summary>
    private (LocalRegistry Registry, FaultProxy Proxy) Serving()
    {
        var registry = RegistryTestSupport.Start();
        Registries(store).Push(TestStore.Image, $"{registry.Host}/team/app:1");
        return (registry, new FaultProxy(registry));
    }

    private RegistryService Registries(TestStore of) => RegistryTestSupport.Registries(of, dir);

    /// <summary>The test image's layer: the biggest blob it has.</summary>
    private Descriptor Layer() => store.Engine.Images.ReadManifest(store.Engine.Images.Get(TestStore.Image).Digest).Manifest.Layers[^1];

    private static string BlobPath(Descriptor blob) => $"/blobs/{blob.Digest}$";

    [SkippableFact]
    public void APullThroughInjected503sA429AndADroppedConnectionSucceedsWhole()
    {
        var (registry, proxy) = Serving();
        using var _ = registry;
        using var __ = proxy;
        var layer = Layer();
        proxy.Answer("GET", "/manifests/1$", 503, times: 2);
        // a connection closed before any answer: HttpClient itself sends such a request again, the pull goes on
        proxy.Drop("GET", "/manifests/1$");
        proxy.Answer("GET", BlobPath(layer), 429, times: 1, ("Retry-After", "1"));
        proxy.Answer("GET", BlobPath(layer), 502, times: 1);

        var clock = Stopwatch.StartNew();
        var pulled = Registries(empty).Pull($"{proxy.Host}/team/app:1");

        Assert.Equal(store.Engine.Images.Get(TestStore.Image).Id, pulled.Id);
        Assert.Equal(4, proxy.SeenMatching("GET", "/manifests/1$").Count);
        Assert.Equal([429, 502, 200], proxy.SeenMatching("GET", BlobPath(layer)).Select(r => r.Status));
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1), $"the 429's Retry-After of 1s was waited for ({clock.Elapsed})");
        Assert.Equal("ran from the registry", RegistryTestSupport.RunIn(empty, $"{proxy.Host}/team/app:1"));
    }

    [SkippableFact]
    public void ABlobCutMidwayResumesWithARangeRequestAndIsWhole()
    {
        var (registry, proxy) = Serving();
        using var _ = registry;
        using var __ = proxy;
        var layer = Layer();
        var cut = layer.Size / 2;
        proxy.Cut("GET", BlobPath(layer), afterBytes: cut);

        var pulled = Registries(empty).Pull($"{proxy.Host}/team/app:1");

        var gets = proxy.SeenMatching("GET", BlobPath(layer));
        Assert.Equal(2, gets.Count);
        Assert.False(gets[0].Headers.ContainsKey("Range"));
        Assert.Equal($"bytes={cut}-", gets[1].Headers["Range"]);
        Assert.Equal(206, gets[1].Status);
        using (var blob = empty.Engine.Images.Blobs.Open(layer.Digest))
            Assert.Equal(layer.Digest, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(blob)));
        Assert.Equal(store.Engine.Images.Get(TestStore.Image).Id, pulled.Id);
        Assert.Equal("ran from the registry", RegistryTestSupport.RunIn(empty, $"{proxy.Host}/team/app:1"));
    }

    [SkippableFact]
    public void AResumeTheRegistryAnswersWholeIsReadPastWhatCameAndIsWhole()
    {
        var (registry, proxy) = Serving();
        using var _ = registry;
        using var __ = proxy;
        var layer = Layer();
        proxy.Cut("GET", BlobPath(layer), afterBytes: layer.Size / 3);
        proxy.IgnoreRange("GET", BlobPath(layer));

        var pulled = Registries(empty).Pull($"{proxy.Host}/team/app:1");

        var gets = proxy.SeenMatching("GET", BlobPath(layer));
        Assert.Equal(2, gets.Count);
        Assert.Equal(200, gets[1].Status);
        using (var blob = empty.Engine.Images.Blobs.Open(layer.Digest))
            Assert.Equal(layer.Digest, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(blob)));
        Assert.Equal(store.Engine.Images.Get(TestStore.Image).Id, pulled.Id);
    }

    [SkippableFact]
    public void CancellingAPullMidBlobEndsItAtOnceAndLeavesNothingStaged()
    {
        var (registry, proxy) = Serving();
        using var _ = registry;
        using var __ = proxy;
        var layer = Layer();
        proxy.Stall("GET", BlobPath(layer), afterBytes: layer.Size / 2);
        using var cancel = new CancellationTokenSource();

        var pull = Task.Run(() => Registries(empty).Pull($"{proxy.Host}/team/app:1", cancellation: cancel.Token));
        Assert.True(proxy.Stalled.Wait(TimeSpan.FromSeconds(30)), "the layer's GET reached the proxy");
        cancel.Cancel();

        // the read that waits on the stalled connection ends with the cancel, not with the proxy
        Assert.True(Task.WaitAny([pull], TimeSpan.FromSeconds(10)) == 0, "the pull ended soon after the cancel");
        var ended = Record.Exception(() => pull.GetAwaiter().GetResult());
        Assert.True(ended is OperationCanceledException, $"the pull ended with {ended}");
        Assert.False(empty.Engine.Images.Blobs.Exists(layer.Digest));
        Assert.Empty(Directory.EnumerateFileSystemEntries(empty.Engine.Paths.StagingDir));
    }

    [SkippableFact]
    public void ACutOnEveryAttemptFailsUnreachableAndLeavesNothing()
    {
        var (registry, proxy) = Serving();
        using var _ = registry;
        using var __ = proxy;
        var layer = Layer();
        proxy.Cut("GET", BlobPath(layer), afterBytes: 1000, times: int.MaxValue);

        var error = Assert.Throws<ContainerException>(() => Registries(empty).Pull($"{proxy.Host}/team/app:1"));

        Assert.Equal("RegistryUnreachable", error.ErrorId);
        Assert.Contains(layer.Digest, error.Message);
        var gets = proxy.SeenMatching("GET", BlobPath(layer));
        Assert.Equal(1 + ResumingBlobStream.Resumes, gets.Count);
        // each resume asks for the rest after what it has: 1000 bytes more each time
        Assert.Equal(Enumerable.Range(1, ResumingBlobStream.Resumes).Select(i => $"bytes={i * 1000}-"), gets.Skip(1).Select(r => r.Headers["Range"]));
        Assert.DoesNotContain(empty.Engine.Images.List(), i => i.Names.Contains($"{proxy.Host}/team/app:1"));
        Assert.False(empty.Engine.Images.Blobs.Exists(layer.Digest));
        Assert.Empty(Directory.EnumerateFileSystemEntries(empty.Engine.Paths.StagingDir));
    }

    [SkippableFact]
    public void APushThatAProxyRefusesWhole413LandsInChunks()
    {
        using var registry = RegistryTestSupport.Start();
        using var proxy = new FaultProxy(registry);
        var layer = Layer();
        const long limit = 256 << 10;
        Assert.True(layer.Size > 2 * limit, $"the test image's layer ({layer.Size} bytes) is big enough for chunks of {limit}");
        proxy.RefuseBodiesOver("PUT", "/blobs/uploads/", limit);
        proxy.RefuseBodiesOver("PATCH", "/blobs/uploads/", limit);

        Registries(store).Push(TestStore.Image, $"{proxy.Host}/team/chunked:1");

        Assert.Equal(store.Engine.Images.Get(TestStore.Image).Digest, registry.ManifestDigestWithSkopeo("team/chunked:1"));
        Assert.Contains(proxy.SeenMatching("PUT", "/blobs/uploads/"), r => r.Status == 413);
        var patches = proxy.SeenMatching("PATCH", "/blobs/uploads/").Where(r => r.Status == 202).ToList();
        Assert.True(patches.Count >= 2, $"{patches.Count} PATCHes");
        Assert.All(patches, p => Assert.Equal("application/octet-stream", p.Headers["Content-Type"]));
        // consecutive ranges, each within the proxy's limit, from the layer's first byte to its last
        var ranges = patches.Select(p => p.Headers["Content-Range"].Split('-').Select(long.Parse).ToArray()).ToList();
        Assert.Equal(0, ranges[0][0]);
        Assert.Equal(layer.Size - 1, ranges[^1][1]);
        Assert.All(ranges.Zip(ranges.Skip(1)), pair => Assert.Equal(pair.First[1] + 1, pair.Second[0]));
        Assert.All(ranges, range => Assert.InRange(range[1] - range[0] + 1, 1, limit));
        // what landed in chunks is whole: a store that lacks it pulls it straight from the registry, and runs it
        Assert.Equal(store.Engine.Images.Get(TestStore.Image).Id, Registries(empty).Pull($"{registry.Host}/team/chunked:1").Id);
        Assert.Equal("ran from the registry", RegistryTestSupport.RunIn(empty, $"{registry.Host}/team/chunked:1"));
    }

    [SkippableFact]
    public void ARegistryThatAnswers503ForeverFailsClearlyAfterTheRetries()
    {
        var (registry, proxy) = Serving();
        using var _ = registry;
        using var __ = proxy;
        proxy.Answer("GET", ".", 503, times: int.MaxValue);

        var clock = Stopwatch.StartNew();
        var error = Assert.Throws<ContainerException>(() => Registries(empty).Pull($"{proxy.Host}/team/app:1"));

        Assert.Equal("RegistryUnreachable", error.ErrorId);
        Assert.Equal(ErrorKind.ConnectionError, error.Kind);
        Assert.Contains("503", error.Message);
        Assert.Contains("after 3 retries", error.Message);
        // the first request and 3 retries, no more
        Assert.Equal(4, proxy.SeenMatching("GET", "/manifests/1$").Count);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"failed in {clock.Elapsed}");
    }

    [SkippableFact]
    public void CancellingEndsTheWaitForARetryAtOnce()
    {
        var (registry, proxy) = Serving();
        using var _ = registry;
        using var __ = proxy;
        proxy.Answer("GET", "/manifests/1$", 503, times: int.MaxValue, ("Retry-After", "5"));
        using var cancel = new CancellationTokenSource();

        var clock = Stopwatch.StartNew();
        cancel.CancelAfter(TimeSpan.FromMilliseconds(300));
        Assert.ThrowsAny<OperationCanceledException>(() => Registries(empty).Pull($"{proxy.Host}/team/app:1", cancellation: cancel.Token));

        // the first 503 came, and its wait of 5s was cut short
        Assert.Single(proxy.SeenMatching("GET", "/manifests/1$"));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"cancelled in {clock.Elapsed}");
    }
}
