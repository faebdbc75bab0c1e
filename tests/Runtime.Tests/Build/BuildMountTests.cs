using Container.Runtime.Build;
using Container.Runtime.Images;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Build;

/// <summary>
/// RUN --mount as buildkit gives them: a cache directory that outlives the build and enters no
/// layer, the context or a stage bound read-only, a secret that is in no layer, and --network.
/// </summary>
public sealed class BuildMountTests : IDisposable
{
    private readonly TestStore store = new();
    private readonly BuildContextFixture context;

    public BuildMountTests() => context = new BuildContextFixture(store);

    public void Dispose() => store.Dispose();

    [Fact]
    public void ACacheMountKeepsItsFilesForTheNextBuildAndNoneOfThemInTheLayer()
    {
        const string dockerfile = """
            FROM $IMAGE
            RUN --mount=type=cache,target=/var/cache/app echo run >> /var/cache/app/runs && wc -l < /var/cache/app/runs > /seen
            """;
        context.Build(dockerfile);
        var (image, _) = context.Build(dockerfile, noCache: true);
        Assert.Equal("2\nno cache dir", context.Run(image.Id, "sh", "-c", "cat /seen; test -e /var/cache/app || echo no cache dir"));
    }

    [Fact]
    public void ClearingTheCacheRunsEveryStepAgainAndTakesTheCacheMountsUnlessKept()
    {
        const string dockerfile = """
            FROM $IMAGE
            RUN --mount=type=cache,target=/cache echo run >> /cache/runs && wc -l < /cache/runs > /seen
            COPY Dockerfile /
            """;
        context.Write("Dockerfile", "a file to copy\n");
        context.Build(dockerfile, tag: "gone:1");
        store.Engine.Images.Remove("gone:1", force: false);
        var kept = store.Engine.Builds.ClearCache(keepCacheMounts: true);
        Assert.Equal((2, 0), (kept.Steps, kept.CacheMounts));
        Assert.True(kept.ReclaimedBytes > 0, "the removed image's layers, which only the cache kept, go");
        var (again, log) = context.Build(dockerfile);
        Assert.All(log.LayerSteps, s => Assert.False(s.Cached));
        Assert.Equal("2", context.Run(again.Id, "cat", "/seen"));

        var cleared = store.Engine.Builds.ClearCache(keepCacheMounts: false);
        Assert.Equal((2, 1), (cleared.Steps, cleared.CacheMounts));
        Assert.Equal(0, cleared.ReclaimedBytes - 4 * 2); // the tagged image keeps its layers: only the mount's "run\nrun\n" went
        Assert.Equal("2", context.Run(again.Id, "cat", "/seen"));
        var (fresh, _) = context.Build(dockerfile);
        Assert.Equal("1", context.Run(fresh.Id, "cat", "/seen"));
    }

    [Fact]
    public void ContextAndStageBindsAreReadOnlyAndASecretIsReadAndKeptOutOfTheImage()
    {
        context.Write("src/input.txt", "bound from the context\n");
        var secret = Path.Combine(store.Root, "token");
        File.WriteAllText(secret, "s3cret\n");
        var log = new RecordingBuildLog();
        var image = store.Engine.Builds.Build(new BuildRequest
        {
            ContextDirectory = context.Directory,
            Dockerfile = $"""
                FROM {TestStore.Image} AS tool
                RUN echo from the stage > /tool.txt
                FROM {TestStore.Image}
                RUN --mount=type=bind,source=src,target=/mnt/src cat /mnt/src/input.txt > /copied && (touch /mnt/src/new 2>/dev/null || echo read-only > /refused)
                RUN --mount=type=bind,from=tool,target=/mnt/tool cat /mnt/tool/tool.txt > /from-stage
                RUN --mount=type=secret,id=token cat /run/secrets/token > /dev/null && wc -c < /run/secrets/token > /secret-size
                RUN --network=none cat /proc/net/dev | grep -c : > /interfaces
                """,
            Tags = [ImageReference.Parse("mounts:1")],
            Secrets = new Dictionary<string, string> { ["token"] = secret },
            Network = "none",
        }, log);
        Assert.Equal("bound from the context\nread-only\nfrom the stage\n7\n1",
            context.Run(image.Id, "sh", "-c", "cat /copied /refused /from-stage /secret-size /interfaces"));
        Assert.Equal("absent", context.Run(image.Id, "sh", "-c", "test -e /run/secrets/token -o -e /mnt/src/input.txt || echo absent"));
        Assert.False(File.Exists(Path.Combine(context.Directory, "src", "new")));
        // no layer holds the secret's content
        foreach (var layer in image.Layers)
            Assert.DoesNotContain(Directory.EnumerateFiles(store.Engine.Images.LayerDirectory(layer), "*", SearchOption.AllDirectories),
                f => new FileInfo(f).Length < 1024 && File.ReadAllText(f).Contains("s3cret", StringComparison.Ordinal));
    }

    [Fact]
    public void AWritableBindSeesItsWritesWhileTheStepRunsAndNeitherTheContextNorTheLayerKeepsThem()
    {
        context.Write("src/input.txt", "from the context\n");
        context.Write("notes.txt", "a file of the context\n");
        var (image, _) = context.Build("""
            FROM $IMAGE
            RUN --mount=type=bind,source=src,target=/mnt/src,rw --mount=type=bind,source=notes.txt,target=/mnt/notes.txt,rw \
                echo written > /mnt/src/new && echo changed > /mnt/src/input.txt && echo more >> /mnt/notes.txt && \
                cat /mnt/src/new /mnt/src/input.txt /mnt/notes.txt > /seen
            """);
        Assert.Equal("written\nchanged\na file of the context\nmore", context.Run(image.Id, "cat", "/seen"));
        Assert.Equal("absent", context.Run(image.Id, "sh", "-c", "test -e /mnt/src/new -o -e /mnt/src/input.txt -o -e /mnt/notes.txt || echo absent"));
        Assert.False(File.Exists(context.PathOf("src/new")));
        Assert.Equal("from the context\n", File.ReadAllText(context.PathOf("src/input.txt")));
        Assert.Equal("a file of the context\n", File.ReadAllText(context.PathOf("notes.txt")));
        // the overlay of the writable view is gone with its step
        Assert.DoesNotContain(File.ReadLines("/proc/self/mountinfo"), l => l.Contains(store.Root, StringComparison.Ordinal) && l.Contains("/rw-", StringComparison.Ordinal));
    }
}
