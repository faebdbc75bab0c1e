using Container.Runtime.Errors;
using Container.Runtime.Images;
using Container.Runtime.Linux;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Build;

/// <summary>
/// Dockerfiles built for real: each RUN in a container of ours, COPY from a context on disk,
/// the image's config as docker writes it, the image run; the cache as docker's behaves; a
/// failing step leaves nothing behind.
/// </summary>
public sealed class BuildTests : IDisposable
{
    private readonly TestStore store = new();
    private readonly BuildContextFixture context;

    public BuildTests() => context = new BuildContextFixture(store);

    public void Dispose() => store.Dispose();

    [Fact]
    public void AnImageIsBuiltWithItsConfigAndFilesAndRuns()
    {
        context.Write("hello.txt", "hello from the context\n");
        context.Write("tree/a", "a\n");
        context.Write("tree/sub/b", "b\n");
        var (image, log) = context.Build("""
            FROM $IMAGE
            ARG VERSION=1.0
            ENV APP=/app GREETING="hi there"
            WORKDIR $APP
            RUN echo "version $VERSION" > version && echo ran
            COPY hello.txt ./
            COPY tree /app/tree/
            LABEL org.example.version=$VERSION
            EXPOSE 8080 53/udp
            USER 1000:1000
            STOPSIGNAL SIGINT
            HEALTHCHECK --interval=5s --retries=2 CMD test -f /app/version
            VOLUME /data
            CMD ["cat", "/app/version"]
            """, args: new Dictionary<string, string> { ["VERSION"] = "2.5" });

        var config = image.Config.Config!;
        Assert.Equal("1000:1000", config.User);
        Assert.Equal("/app", config.WorkingDir);
        Assert.Contains("GREETING=hi there", config.Env!);
        Assert.DoesNotContain(config.Env!, e => e.StartsWith("VERSION=", StringComparison.Ordinal)); // an ARG stays out of the image
        Assert.Equal("2.5", config.Labels!["org.example.version"]);
        Assert.Equal(["53/udp", "8080/tcp"], config.ExposedPorts!.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["/data"], config.Volumes!.Keys);
        Assert.Equal("SIGINT", config.StopSignal);
        Assert.Equal(["CMD-SHELL", "test -f /app/version"], config.Healthcheck!.Test);
        Assert.Equal(5_000_000_000, config.Healthcheck.Interval);
        Assert.Equal(2, config.Healthcheck.Retries);
        Assert.Equal(["cat", "/app/version"], config.Cmd);
        Assert.Equal(["ran"], log.Lines);
        // the base's layer, then one per RUN and COPY
        Assert.Equal(store.Engine.Images.Get(TestStore.Image).Layers.Count + 3, image.Layers.Count);

        Assert.Equal("version 2.5", context.Run("built:1"));
        Assert.Equal("hello from the context\nroot root\na\nb",
            context.Run("built:1", "sh", "-c", "cat hello.txt; stat -c '%U %G' hello.txt; cat tree/a tree/sub/b"));
    }

    [Fact]
    public void ARebuildWithNothingChangedTakesEveryStepFromTheCacheAndMakesTheSameImage()
    {
        context.Write("app.sh", "echo app\n");
        const string dockerfile = """
            FROM $IMAGE
            RUN echo one > /one
            COPY app.sh /app.sh
            RUN echo two > /two
            """;
        var (first, built) = context.Build(dockerfile);
        Assert.All(built.LayerSteps, s => Assert.False(s.Cached));

        var (second, rebuilt) = context.Build(dockerfile);
        Assert.Equal(3, rebuilt.LayerSteps.Count());
        Assert.All(rebuilt.LayerSteps, s => Assert.True(s.Cached, s.Instruction));
        Assert.Equal(first.Id, second.Id);

        // a copied file touched (its time alone) is the same file to the cache, as to docker's
        File.SetLastWriteTimeUtc(context.PathOf("app.sh"), DateTime.UtcNow.AddHours(1));
        Assert.All(context.Build(dockerfile).Log.LayerSteps, s => Assert.True(s.Cached, s.Instruction));
    }

    [Fact]
    public void ACopiedFileChangedRebuildsFromItsStepOnAndNotBefore()
    {
        context.Write("app.sh", "echo app\n");
        const string dockerfile = """
            FROM $IMAGE
            RUN echo one > /one
            COPY app.sh /app.sh
            RUN cat /app.sh > /copied
            """;
        context.Build(dockerfile);
        context.Write("app.sh", "echo changed\n");

        var (image, log) = context.Build(dockerfile);
        Assert.Equal([("RUN echo one > /one", true), ("COPY app.sh /app.sh", false), ("RUN cat /app.sh > /copied", false)], log.LayerSteps);
        Assert.Equal("echo changed", context.Run(image.Id, "cat", "/copied"));
    }

    [Fact]
    public void AChangedBuildArgMissesTheRunsAfterItsArgAndNotTheStepsBefore()
    {
        const string dockerfile = """
            FROM $IMAGE
            RUN echo before > /before
            ARG FLAVOUR=plain
            RUN echo $FLAVOUR > /flavour
            """;
        context.Build(dockerfile);
        var (image, log) = context.Build(dockerfile, args: new Dictionary<string, string> { ["FLAVOUR"] = "spicy" });
        Assert.Equal([("RUN echo before > /before", true), ("RUN echo $FLAVOUR > /flavour", false)], log.LayerSteps);
        Assert.Equal("spicy", context.Run(image.Id, "cat", "/flavour"));
        Assert.True(context.Build(dockerfile, args: new Dictionary<string, string> { ["FLAVOUR"] = "spicy" }).Log.LayerSteps.All(s => s.Cached));
        Assert.All(context.Build(dockerfile, noCache: true).Log.LayerSteps, s => Assert.False(s.Cached));
    }

    [Fact]
    public void AFailingRunNamesItsLineAndExitCodeAndLeavesNoContainerMountOrImage()
    {
        var imagesBefore = store.Engine.Images.List().Select(i => i.Id).ToHashSet();
        var error = Assert.Throws<ContainerException>(() => context.Build("""
            FROM $IMAGE
            RUN echo fine > /fine
            RUN echo failing; exit 3
            RUN echo never
            """));
        Assert.Equal("BuildStepFailed", error.ErrorId);
        Assert.Equal(3, error.ExitCode);
        Assert.Contains("line 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("exit 3", error.Message, StringComparison.Ordinal);

        Assert.Empty(store.Containers.List());
        Assert.DoesNotContain(File.ReadAllLines("/proc/self/mountinfo"), l => l.Contains(store.Root, StringComparison.Ordinal));
        store.Engine.Images.CollectGarbage();
        Assert.Equal(imagesBefore, store.Engine.Images.List().Select(i => i.Id).ToHashSet());
        Assert.Empty(Directory.EnumerateFileSystemEntries(store.Paths.StagingDir));
    }

    [Fact]
    public void AStageCopiesFromAnotherAndATargetBuildsOnlyWhatItNeeds()
    {
        var (image, log) = context.Build("""
            ARG BASE=$IMAGE
            FROM ${BASE} AS maker
            RUN mkdir /out && echo made > /out/thing && chown 123:45 /out/thing
            FROM $IMAGE AS unused
            RUN echo never > /never
            FROM $IMAGE
            COPY --from=maker /out/thing /thing
            COPY --from=maker --chown=7:8 --chmod=600 /out/thing /owned
            ENTRYPOINT ["cat"]
            CMD ["/thing"]
            """);
        Assert.DoesNotContain(log.Steps, s => s.Stage == "unused");
        Assert.Equal("made", context.Run(image.Id));
        Assert.Equal("123:45 644\n7:8 600", context.Run(image.Id, "sh", "-c", "stat -c '%u:%g %a' /thing /owned"));

        var (maker, _) = context.Build("""
            FROM $IMAGE AS maker
            RUN echo made > /thing
            FROM $IMAGE
            RUN echo final > /final
            """, tag: "maker:1", target: "maker");
        Assert.Equal("made", context.Run(maker.Id, "cat", "/thing"));
        Assert.Equal("BuildTargetNotFound", Assert.Throws<ContainerException>(() => context.Build("FROM $IMAGE\n", target: "nope")).ErrorId);
    }


    [Fact]
    public void AStageNamedByAnArgOfTheStageThatCopiesFromItIsBuiltWhenFirstNeeded()
    {
        // the plan expands --from with the build args and global ARGs only: SRC is the final stage's
        var (image, log) = context.Build("""
            FROM $IMAGE AS maker
            RUN echo made > /thing
            FROM $IMAGE
            ARG SRC=maker
            COPY --from=$SRC /thing /thing
            """);
        Assert.Contains(log.Steps, s => s.Stage == "maker");
        Assert.Equal("made", context.Run(image.Id, "cat", "/thing"));
    }
    [SkippableFact]
    public void AMultiStageBuildCompilesABinaryAndTheFinalImageHoldsItAlone()
    {
        Skip.If(ToolchainRootfs.Unavailable != null, ToolchainRootfs.Unavailable);
        store.Engine.Importer.Import(ToolchainRootfs.Path, ImageReference.Parse("toolchain:test"), ImageDefaults.From(["sh"], null, null));
        context.Write("src/hello.c", """
            #include <stdio.h>
            int main(int argc, char **argv) { printf("%s for %s\n", GREETING, argc > 1 ? argv[1] : "nobody"); return 0; }
            """);
        var (image, _) = context.Build("""
            FROM toolchain:test AS compile
            WORKDIR /src
            COPY src/hello.c .
            ARG GREETING=compiled
            RUN mkdir -p /out && gcc -static -O2 -DGREETING="\"$GREETING\"" -o /out/hello hello.c
            FROM scratch
            COPY --from=compile /out/hello /hello
            ENTRYPOINT ["/hello"]
            CMD ["world"]
            """, args: new Dictionary<string, string> { ["GREETING"] = "built by a stage" });
        Assert.Equal("built by a stage for world", context.Run(image.Id));
        Assert.Single(image.Layers);
    }

    [Fact]
    public void EntrypointClearsTheBaseImagesCmdAndShellFormsRunInTheShell()
    {
        var (image, _) = context.Build("""
            FROM $IMAGE
            SHELL ["/bin/sh", "-ec"]
            ENTRYPOINT echo entry
            """);
        Assert.Equal(["/bin/sh", "-ec", "echo entry"], image.Config.Config!.Entrypoint);
        Assert.Null(image.Config.Config.Cmd); // the base's sh is no argument list for another entrypoint
        Assert.Equal("entry", context.Run(image.Id));
    }

    [Fact]
    public void AnUntaggedBuildIsKeptUntilItIsRemovedById()
    {
        var (image, _) = context.Build("FROM $IMAGE\nRUN echo kept > /kept\n", tag: null);
        store.Engine.Images.CollectGarbage();
        Assert.Equal("kept", context.Run(image.Id, "cat", "/kept"));
        store.Engine.Images.Remove(image.Id, force: false);
        Assert.Null(store.Engine.Images.Find(image.Id));
    }

    [Fact]
    public void TheCacheKeepsItsLayersThroughACollection()
    {
        context.Build("FROM $IMAGE\nRUN echo cached > /cached\n");
        store.Engine.Images.Remove("built:1", force: false);
        store.Engine.Images.CollectGarbage();
        var (image, log) = context.Build("FROM $IMAGE\nRUN echo cached > /cached\n");
        Assert.True(Assert.Single(log.LayerSteps).Cached);
        Assert.Equal("cached", context.Run(image.Id, "cat", "/cached"));
    }

    [Fact]
    public void APlanSaysWhichStepsWouldRunAndTheFirstFileOrArgumentThatChangedAndMakesNothing()
    {
        context.Write("app.sh", "echo app\n");
        const string dockerfile = """
            FROM $IMAGE
            ARG FLAVOUR=plain
            RUN echo $FLAVOUR > /flavour
            COPY app.sh /app.sh
            RUN cat /app.sh > /copied
            """;
        context.Build(dockerfile);
        context.Write("app.sh", "echo changed\n");
        var entries = Directory.GetFiles(Path.Combine(store.Paths.ImagesDir, "build-cache")).Length;
        var images = store.Engine.Images.List().Count;

        var log = new RecordingBuildLog();
        store.Engine.Builds.Plan(new Container.Runtime.Build.BuildRequest
        {
            ContextDirectory = context.Directory, Dockerfile = dockerfile.Replace("$IMAGE", TestStore.Image, StringComparison.Ordinal), Network = "none",
        }, log);
        var steps = log.Steps.Where(s => s.MakesLayer).ToList();
        Assert.True(steps[0].Cached);
        Assert.NotNull(steps[0].Key);
        Assert.False(steps[1].Cached);
        Assert.StartsWith("changed: app.sh", steps[1].Reason, StringComparison.Ordinal);
        Assert.NotNull(steps[1].Key);
        Assert.Equal((false, null, "a step before it runs again"), (steps[2].Cached, steps[2].Key, steps[2].Reason));
        Assert.Empty(store.Containers.List());
        Assert.Equal(entries, Directory.GetFiles(Path.Combine(store.Paths.ImagesDir, "build-cache")).Length);
        Assert.Equal(images, store.Engine.Images.List().Count);

        // an ARG's new value is what a verbose build names
        var (_, rebuilt) = context.Build(dockerfile, args: new Dictionary<string, string> { ["FLAVOUR"] = "spicy" });
        Assert.Contains(rebuilt.Notes, n => n.StartsWith("RUN echo $FLAVOUR > /flavour: runs (changed: FLAVOUR=spicy", StringComparison.Ordinal));
    }

    [Fact]
    public void ACancelledBuildStopsItsRunningStepAndLeavesNothingBehind()
    {
        using var cancel = new CancellationTokenSource();
        var log = new CancellingBuildLog(cancel, "started");
        var request = new Container.Runtime.Build.BuildRequest
        {
            ContextDirectory = context.Directory,
            Dockerfile = $"FROM {TestStore.Image}\nRUN echo started; sleep 600\n",
            Tags = [Container.Runtime.Images.ImageReference.Parse("cancelled:1")],
            Network = "none",
        };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.ThrowsAny<OperationCanceledException>(() => store.Engine.Builds.Build(request, log, cancel.Token));
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(5), "the step was stopped, not waited for");
        Assert.Empty(store.Containers.List());
        Assert.DoesNotContain(File.ReadAllLines("/proc/self/mountinfo"), l => l.Contains(store.Root, StringComparison.Ordinal));
        Assert.Null(store.Engine.Images.Find("cancelled:1"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(store.Paths.StagingDir));
    }

    [Fact]
    public void AGlobalArgIsSeenInAStageOnlyWhereItIsDeclaredAgain()
    {
        var (image, _) = context.Build("""
            ARG VERSION=1.2
            FROM $IMAGE
            RUN echo "[$VERSION]" > /unseen
            ARG VERSION
            RUN echo "[$VERSION]" > /seen
            """);
        Assert.Equal("[]\n[1.2]", context.Run(image.Id, "cat", "/unseen", "/seen"));
        var (given, _) = context.Build("ARG VERSION=1.2\nFROM $IMAGE\nARG VERSION\nRUN echo $VERSION > /seen\n", args: new Dictionary<string, string> { ["VERSION"] = "3" });
        Assert.Equal("3", context.Run(given.Id, "cat", "/seen"));
    }

    [Fact]
    public void ThePlatformArgsAreGlobalAndSeenInAStageThatDeclaresThem()
    {
        var host = ImagePlatform.Host;
        var (image, _) = context.Build("""
            FROM --platform=$BUILDPLATFORM $IMAGE AS tools
            ARG BUILDARCH
            RUN echo "$BUILDARCH" > /build-arch
            FROM --platform=${TARGETOS}/${TARGETARCH} $IMAGE
            RUN echo "[$TARGETARCH]" > /unseen
            ARG TARGETPLATFORM TARGETOS TARGETARCH TARGETVARIANT
            COPY --from=tools /build-arch /
            RUN echo "$TARGETPLATFORM $TARGETOS $TARGETARCH [$TARGETVARIANT]" > /target
            """);
        Assert.Equal($"{host.Architecture}\n[]\n{host} {host.Os} {host.Architecture} []", context.Run(image.Id, "cat", "/build-arch", "/unseen", "/target"));
        var invalid = Assert.Throws<ContainerException>(() => context.Build("FROM --platform=amd64 $IMAGE\n"));
        Assert.Equal("InvalidPlatform", invalid.ErrorId);
    }

    /// <summary>A log that cancels the build when its step writes a line (as Ctrl+C would, mid-step).</summary>
    private sealed class CancellingBuildLog(CancellationTokenSource cancel, string trigger) : Container.Runtime.Build.IBuildLog
    {
        public void Step(Container.Runtime.Build.BuildStepReport step)
        {
        }

        public void Output(Container.Runtime.Logs.LogStream stream, string line)
        {
            if (line == trigger)
                cancel.Cancel();
        }

        public void Note(string message)
        {
        }
    }

    [Fact]
    public void DockerignoreKeepsFilesOutOfTheCopyAndOutOfTheCacheKey()
    {
        context.Write(".dockerignore", "# build noise\n*.log\nsecret\n!secret/keep.txt\n**/tmp\n");
        context.Write("app.txt", "app\n");
        context.Write("debug.log", "noise\n");
        context.Write("secret/key.pem", "private\n");
        context.Write("secret/keep.txt", "kept\n");
        context.Write("deep/er/tmp/x", "scratch\n");
        context.Write("deep/er/y", "y\n");
        const string dockerfile = "FROM $IMAGE\nCOPY . /app/\n";
        var (image, _) = context.Build(dockerfile);
        Assert.Equal("/app/app.txt\n/app/deep/er/y\n/app/secret/keep.txt",
            context.Run(image.Id, "sh", "-c", "find /app -type f | grep -v dockerignore | sort"));

        // what is ignored is no part of the key: changing it misses nothing
        context.Write("debug.log", "more noise\n");
        context.Write("secret/key.pem", "another\n");
        Assert.True(Assert.Single(context.Build(dockerfile).Log.LayerSteps).Cached);
        context.Write("secret/keep.txt", "changed\n");
        Assert.False(Assert.Single(context.Build(dockerfile).Log.LayerSteps).Cached);
    }
}
