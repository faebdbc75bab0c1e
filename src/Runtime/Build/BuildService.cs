using Container.Runtime.Build.Parsing;
using Container.Runtime.Containers;
using Container.Runtime.Images;
using Container.Runtime.Registries;

namespace Container.Runtime.Build;

/// <summary>
/// docker build: a Dockerfile's stages built in our own containers, each RUN a container
/// whose writable layer becomes the step's layer, each COPY and ADD a layer of the files
/// copied; a step that made a layer is kept in the image store's build cache under the key
/// docker's cache would find it by.
/// </summary>
public sealed class BuildService
{
    private readonly ImageStore images;
    private readonly ContainerService containers;
    private readonly RegistryService registries;
    private readonly Linux.IMounts mounts;

    internal BuildService(ImageStore images, ContainerService containers, RegistryService registries, Linux.IMounts mounts)
    {
        this.images = images;
        this.containers = containers;
        this.registries = registries;
        this.mounts = mounts;
    }

    /// <summary>Builds the request's target stage (and the stages it needs), names it with the request's tags, and returns it.</summary>
    public ContainerImage Build(BuildRequest request, IBuildLog log, CancellationToken cancellation = default) =>
        Run(request, log, dryRun: false, cancellation)!;

    /// <summary>
    /// What a build would do (-WhatIf), told step by step to log: each step's cache key, whether
    /// the cache has it, and for the first it lacks, what changed; nothing is run or made.
    /// </summary>
    public void Plan(BuildRequest request, IBuildLog log, CancellationToken cancellation = default) => Run(request, log, dryRun: true, cancellation);

    private ContainerImage? Run(BuildRequest request, IBuildLog log, bool dryRun, CancellationToken cancellation)
    {
        var file = DockerfileParser.Parse(request.Dockerfile);
        var lexer = new ShellLexer(file.EscapeToken);
        var globals = new BuildArguments(request.BuildArgs, request.Platform ?? ImagePlatform.Host);
        foreach (var arg in file.Instructions.TakeWhile(i => i.Keyword == "ARG"))
            globals.Declare(arg, lexer, globals.Lookup);
        var plan = BuildPlan.Of(file, request.Target, from => lexer.ProcessWords(from.Arguments, globals.Lookup),
            source => lexer.ProcessWord(source, name => request.BuildArgs.TryGetValue(name, out var given) ? given : globals.Lookup(name)));
        var run = new BuildRun(request, plan, lexer, globals, new BuildSources(request.ContextDirectory, request.DockerfilePath), log, cancellation,
            plan.Needed.Sum(s => s.Steps.Count + 1), Storage.Staging.NewPath(images.Paths, "-build"), dryRun);
        try
        {
            var built = new BuiltStages((stage, all) => new StageBuilder(this, run, stage, all).Build());
            foreach (var stage in plan.Needed)
                _ = built[stage];
            return dryRun ? null : Save(built[plan.Target], request);
        }
        finally
        {
            if (Directory.Exists(run.ScratchDirectory))
                Directory.Delete(run.ScratchDirectory, recursive: true);
        }
    }

    /// <summary>
    /// Empties the build cache (docker builder prune --all): every step's entry, and the
    /// RUN --mount=type=cache directories unless kept; the layers no image uses are collected.
    /// </summary>
    public BuildCacheClearance ClearCache(bool keepCacheMounts)
    {
        var (entries, mounts, mountBytes) = images.BuildCache.Clear(keepCacheMounts);
        images.CollectGarbage();
        var layerBytes = entries.Select(e => e.Layer).DistinctBy(l => l.Digest).Where(l => !images.Blobs.Exists(l.Digest)).Sum(l => l.Size);
        return new BuildCacheClearance(entries.Count, mounts, layerBytes + mountBytes);
    }

    internal ImageStore Images => images;

    internal ContainerService Containers => containers;

    internal RegistryService Registries => registries;

    /// <summary>The host's mounts: a RUN's writable views of what it binds.</summary>
    internal Linux.IMounts Mounts => mounts;

    private ContainerImage Save(StageState state, BuildRequest request)
    {
        var config = state.Config;
        foreach (var (name, value) in request.Labels)
            (state.Container.Labels ??= [])[name] = value;
        config.Created = state.LastCreated ?? DateTimeOffset.UtcNow;
        ContainerImage image;
        using (images.HoldAgainstCollection())
        {
            if (request.Tags.Count == 0)
                image = images.CreateNamelessImage(state.Layers, config, kept: true);
            else
            {
                image = images.CreateImage(state.Layers, config, request.Tags[0]);
                foreach (var tag in request.Tags.Skip(1))
                    images.Tag(image.Id, tag);
                image = images.Get(request.Tags[0].ToString()); // with all its names
            }
        }
        // the steps' nameless images, which their containers no longer use
        images.CollectGarbage();
        return image;
    }
}

/// <summary>What Clear-ContainerBuildCache removed: steps, cache mounts, and the bytes freed (the layers' archives no image kept, the mounts' files).</summary>
public sealed record BuildCacheClearance(int Steps, int CacheMounts, long ReclaimedBytes);

/// <summary>What every stage of one build shares.</summary>
internal sealed record BuildRun(
    BuildRequest Request, BuildPlan Plan, ShellLexer Lexer, BuildArguments Globals, BuildSources Context, IBuildLog Log, CancellationToken Cancellation,
    int StepCount, string ScratchDirectory, bool DryRun)
{
    private int step;

    public int NextStep() => Interlocked.Increment(ref step);

    /// <summary>Where the build writes what it copies from outside the context (heredocs, URLs): under the store's staging, gone when the build ends.</summary>
    public string Scratch() => Directory.CreateDirectory(ScratchDirectory).FullName;
}
