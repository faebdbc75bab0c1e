using Container.Runtime.Images;

namespace Container.Runtime.Build;

/// <summary>
/// The image a stage has made so far: its layers and config, the cache key of that state,
/// and the ARGs the stage has declared (which RUN sees, and the image does not keep).
/// </summary>
internal sealed class StageState
{
    public required ImageConfig Config { get; init; }

    public required List<Descriptor> Layers { get; init; }

    /// <summary>What the state was made from: the base image's id, then each step (its output too, once one ran: a step that ran again misses every later one).</summary>
    public required string CacheKey { get; set; }

    public Dictionary<string, string?> Args { get; } = new(StringComparer.Ordinal);

    /// <summary>In a dry run, whether a step of this state would run again: what follows depends on what it would make, which no key can say.</summary>
    public bool Pending { get; set; }

    /// <summary>Whether CMD is still the base image's: ENTRYPOINT then clears it, as docker does.</summary>
    public bool CmdFromBase { get; set; } = true;

    public ContainerConfig Container => Config.Config ??= new ContainerConfig();

    public static readonly IReadOnlyList<string> DefaultShell = ["/bin/sh", "-c"];

    public IReadOnlyList<string> Shell => Container.Shell ?? DefaultShell;

    /// <summary>A variable as the stage's next step sees it: ENV over ARG, null when neither sets it.</summary>
    public string? Lookup(string name) =>
        EnvironmentValue(name) ?? (Args.TryGetValue(name, out var value) ? value : null);

    public string? EnvironmentValue(string name)
    {
        var prefix = name + "=";
        return Container.Env?.LastOrDefault(e => e.StartsWith(prefix, StringComparison.Ordinal)) is { } entry ? entry[prefix.Length..] : null;
    }

    public void SetEnvironment(string name, string value)
    {
        var env = Container.Env ??= [];
        env.RemoveAll(e => e.StartsWith(name + "=", StringComparison.Ordinal) || e == name);
        env.Add($"{name}={value}");
    }

    /// <summary>An independent copy: a stage built FROM another goes on from it.</summary>
    public StageState Copy() => new()
    {
        Config = CopyOf(Config),
        Layers = [.. Layers],
        CacheKey = CacheKey,
        Pending = Pending,
    };

    /// <summary>An independent copy of a config (a base image's, a stage's), for a state that changes it.</summary>
    public static ImageConfig CopyOf(ImageConfig config) => Json.Deserialize<ImageConfig>(Json.Serialize(config));

    /// <summary>A step's layer added on top, with its history line.</summary>
    public void AddLayer(Descriptor layer, string diffId, string createdBy, DateTimeOffset created)
    {
        Layers.Add(layer);
        Config.RootFs.DiffIds.Add(diffId);
        (Config.History ??= []).Add(new HistoryEntry { Created = created, CreatedBy = createdBy, Comment = BuildHistory.Comment });
    }

    /// <summary>
    /// A step that changed only the config, in the history as docker writes one (an empty
    /// layer), dated as the last layer was: a build that the cache serves whole makes the same
    /// image, id and all.
    /// </summary>
    public void AddHistory(string createdBy) =>
        (Config.History ??= []).Add(new HistoryEntry { Created = LastCreated, CreatedBy = createdBy, Comment = BuildHistory.Comment, EmptyLayer = true });

    /// <summary>When the newest layer was made (the base image's time before any).</summary>
    public DateTimeOffset? LastCreated => Config.History?.LastOrDefault(h => h.EmptyLayer != true)?.Created ?? Config.Created;
}

/// <summary>How the history of a built image names its steps: as buildkit does (the instruction, and its comment).</summary>
internal static class BuildHistory
{
    public const string Comment = "buildkit.dockerfile.v0";
}
