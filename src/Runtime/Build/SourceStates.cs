using Container.Runtime.Images;

namespace Container.Runtime.Build;

/// <summary>What a name stands for where a stage builds on another (FROM) or reads from one (COPY --from, RUN --mount from=).</summary>
internal static class SourceStates
{
    /// <summary>
    /// scratch (nothing); an earlier stage, by name or number (a copy of its state); else an
    /// image, pulled as the build's policy says, its id the key of its state (in a dry run, one
    /// the store lacks is not pulled: the state is pending). An image is for the platform
    /// asked (FROM --platform, else the build's, else this host's): one stored for another is
    /// pulled again, as buildkit resolves each FROM for its platform.
    /// </summary>
    public static StageState Of(BuildService service, BuildRun run, BuiltStages built, string name, int before,
        ImagePlatform? platform = null)
    {
        platform ??= run.Request.Platform ?? ImagePlatform.Host;
        if (name == "scratch")
            return new StageState
            {
                Config = new ImageConfig { Os = platform.Os, Architecture = platform.Architecture, Config = new ContainerConfig() },
                Layers = [],
                CacheKey = "scratch",
            };
        if (run.Plan.StageNamed(name, before) is { } stage)
            return built[stage].Copy();
        var policy = run.DryRun ? Registries.PullPolicy.Missing : run.Request.Pull;
        var stored = service.Registries.Stored(name, policy);
        if (stored != null && !IsFor(service.Images, stored, platform))
            stored = policy == Registries.PullPolicy.Never
                ? throw Errors.Errors.InvalidArgument("NoMatchingPlatform", $"The image '{name}' in the store is not for {platform}, and -Pull Never pulls none that is.", name)
                : null;
        if (stored == null && run.DryRun)
            // a dry run pulls nothing: what is built on an image it would pull would all run
            return new StageState { Config = new ImageConfig { Config = new ContainerConfig() }, Layers = [], CacheKey = "pull " + name, Pending = true };
        stored ??= service.Registries.PullForContainer(name, platform, cancellation: run.Cancellation);
        var image = service.Images.Get(stored);
        var (manifest, config) = service.Images.ReadManifest(image.Digest);
        return new StageState { Config = StageState.CopyOf(config), Layers = [.. manifest.Layers], CacheKey = image.Id };
    }

    /// <summary>Whether a stored image is for a platform (its config names no variant: os and architecture decide).</summary>
    private static bool IsFor(ImageStore images, string image, ImagePlatform platform) =>
        images.Get(image) is var stored && stored.Os == platform.Os && stored.Architecture == platform.Architecture;
}
