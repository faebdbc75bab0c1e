using Container.Runtime.Build.Parsing;
using Container.Runtime.Images;

namespace Container.Runtime.Build;

/// <summary>One stage: its base (an image, an earlier stage, or scratch), its base's ONBUILD triggers, then its steps in order.</summary>
internal sealed class StageBuilder(BuildService service, BuildRun run, BuildStage stage, IReadOnlyDictionary<int, StageState> built)
{
    public StageState Build()
    {
        var state = SourceStates.Of(service, run, built, stage.Base, stage.Index);
        Report(stage.From, cached: false);
        var triggers = state.Container.OnBuild;
        state.Container.OnBuild = null;
        if (triggers is { Count: > 0 })
            foreach (var trigger in DockerfileParser.ParseTriggers(triggers))
                Step(state, trigger with { Line = stage.From.Line }, report: false);
        foreach (var instruction in stage.Steps)
            Step(state, instruction, report: true);
        return state;
    }

    private void Step(StageState state, Instruction instruction, bool report)
    {
        run.Cancellation.ThrowIfCancellationRequested();
        switch (instruction.Keyword)
        {
            case "ARG":
                run.Globals.Declare(instruction, run.Lexer, state.Lookup, state.Args, run.Globals.Lookup);
                if (report)
                    Report(instruction, cached: false);
                break;
            case var keyword when ConfigInstructions.Handles(keyword):
            {
                var step = ConfigInstructions.Apply(state, instruction, run.Lexer);
                state.CacheKey = BuildCache.KeyOf(state.CacheKey, step);
                state.AddHistory(step);
                if (report)
                    Report(instruction, cached: false);
                break;
            }
            case "RUN":
            {
                var step = RunInstruction.Plan(service, state, instruction, run, stage, built);
                LayerStep(state, instruction, step.Describe(state), report, () => step.Make(service, state));
                break;
            }
            case "COPY" or "ADD":
            {
                var copy = CopyInstruction.Plan(service, state, instruction, run, stage.Index, built);
                LayerStep(state, instruction, copy.Describe(), report, () => copy.Make(service, state));
                break;
            }
            default:
                throw Errors.Errors.InvalidInstruction(instruction, $"{instruction.Keyword} cannot be used here");
        }
    }

    /// <summary>A step that makes a layer: taken from the cache when its key is there (unless --no-cache), else made and cached.</summary>
    private void LayerStep(StageState state, Instruction instruction, StepDescription step, bool report, Func<Descriptor> make)
    {
        var key = BuildCache.KeyOf(state.CacheKey, step.Key);
        var cached = run.Request.NoCache ? null : service.Images.BuildCache.Find(key);
        if (report)
            Report(instruction, cached != null);
        if (cached == null)
        {
            run.Log.Note(run.Request.NoCache ? $"{instruction.Original}: runs (-NoCache)" : $"{instruction.Original}: not in the cache (key {Ids.Short(key)}), runs");
            var layer = make();
            // unpacked now: what follows reads it (COPY --chown's names, the next step's container)
            service.Images.EnsureUnpacked(layer);
            cached = new BuildCacheEntry { Key = key, Layer = layer, DiffId = layer.Digest, CreatedBy = step.History, Created = DateTimeOffset.UtcNow };
            service.Images.BuildCache.Store(cached);
        }
        else
            run.Log.Note($"{instruction.Original}: from the cache (key {Ids.Short(key)})");
        state.AddLayer(cached.Layer, cached.DiffId, cached.CreatedBy, cached.Created);
        // what follows builds on this layer: one made again misses every later step
        state.CacheKey = BuildCache.KeyOf(key, cached.DiffId);
    }

    private void Report(Instruction instruction, bool cached) =>
        run.Log.Step(new BuildStepReport(run.NextStep(), run.StepCount, stage.Label, instruction.Original, instruction.Line, cached));
}

/// <summary>A layer step as the cache keys it (its instruction expanded, what it reads) and as the history writes it.</summary>
internal sealed record StepDescription(string Key, string History);
