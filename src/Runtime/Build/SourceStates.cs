using Container.Runtime.Images;

namespace Container.Runtime.Build;

/// <summary>What a name stands for where a stage builds on another (FROM) or reads from one (COPY --from, RUN --mount from=).</summary>
internal static class SourceStates
{
    /// <summary>
    /// scratch (nothing); an earlier stage, by name or number (a copy of its state); else an
    /// image, pulled as the build's policy says, its id the key of its state (in a dry run, one
    /// the store lacks is not pulled: the state is pending).
    /// </summary>
    public static StageState Of(BuildService service, BuildRun run, IReadOnlyDictionary<int, StageState> built, string name, int before)
    {
        if (name == "scratch")
            return new StageState
            {
                Config = new ImageConfig { Architecture = (run.Request.Platform ?? ImagePlatform.Host).Architecture, Config = new ContainerConfig() },
                Layers = [],
                CacheKey = "scratch",
            };
        if (run.Plan.StageNamed(name, before) is { } stage)
            return built[stage.Index].Copy();
        var stored = service.Registries.Stored(name, run.DryRun ? Registries.PullPolicy.Missing : run.Request.Pull);
        if (stored == null && run.DryRun)
            // a dry run pulls nothing: what is built on an image it would pull would all run
            return new StageState { Config = new ImageConfig { Config = new ContainerConfig() }, Layers = [], CacheKey = "pull " + name, Pending = true };
        stored ??= service.Registries.PullForContainer(name, run.Request.Platform, cancellation: run.Cancellation);
        var image = service.Images.Get(stored);
        var (manifest, config) = service.Images.ReadManifest(image.Digest);
        return new StageState { Config = StageState.CopyOf(config), Layers = [.. manifest.Layers], CacheKey = image.Id };
    }
}
