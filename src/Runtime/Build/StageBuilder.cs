using Container.Runtime.Build.Parsing;
using Container.Runtime.Images;

namespace Container.Runtime.Build;

/// <summary>One stage: its base (an image, an earlier stage, or scratch), its base's ONBUILD triggers, then its steps in order.</summary>
internal sealed class StageBuilder(BuildService service, BuildRun run, BuildStage stage, BuiltStages built)
{
    public StageState Build()
    {
        var platform = stage.From.Flag("platform") is { } flag ? ImagePlatform.Parse(run.Lexer.ProcessWord(flag, run.Globals.Lookup)) : null;
        var state = SourceStates.Of(service, run, built, stage.Base, stage.Index, platform);
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
                var step = state.Pending ? null : RunInstruction.Plan(service, state, instruction, run, stage, built);
                LayerStep(state, instruction, () => step!.Describe(state), report, () => step!.Make(service, state));
                break;
            }
            case "COPY" or "ADD":
            {
                var copy = state.Pending ? null : CopyInstruction.Plan(service, state, instruction, run, stage.Index, built);
                LayerStep(state, instruction, () => copy!.Describe(), report, () => copy!.Make(service, state, run.Scratch()));
                break;
            }
            default:
                throw Errors.Errors.InvalidInstruction(instruction, $"{instruction.Keyword} cannot be used here");
        }
    }

    /// <summary>
    /// A step that makes a layer: taken from the cache when its key is there (unless
    /// --no-cache), else made and cached. A dry run (-WhatIf) makes nothing: it says what the
    /// cache has, and from the first step it lacks on, that each would run. A layer made on
    /// its own (COPY --link) is keyed without the state before it, so a new base image
    /// misses it not; the steps after it still build on both.
    /// </summary>
    private void LayerStep(StageState state, Instruction instruction, Func<StepDescription> describe, bool report, Func<Descriptor> make)
    {
        if (state.Pending)
        {
            if (report)
                Report(instruction, cached: false, key: null, "a step before it runs again");
            return;
        }
        var step = describe();
        var key = BuildCache.KeyOf(step.Linked ? BuildCache.LinkedParent : state.CacheKey, step.Key);
        var cached = run.Request.NoCache ? null : service.Images.BuildCache.Find(key);
        var reason = cached != null ? null : run.Request.NoCache ? "-NoCache" : WhyMissed(state.CacheKey, step);
        if (report)
            Report(instruction, cached != null, key, reason);
        if (cached == null && run.DryRun)
        {
            state.Pending = true;
            return;
        }
        if (cached == null)
        {
            run.Log.Note($"{instruction.Original}: runs ({reason}; key {Ids.Short(key)})");
            var layer = make();
            // unpacked now: what follows reads it (COPY --chown's names, the next step's container)
            service.Images.EnsureUnpacked(layer);
            cached = new BuildCacheEntry
            {
                Key = key, ParentKey = state.CacheKey, Step = step.Key, Layer = layer, DiffId = layer.Digest, CreatedBy = step.History, Created = DateTimeOffset.UtcNow,
            };
            service.Images.BuildCache.Store(cached);
        }
        else
            run.Log.Note($"{instruction.Original}: from the cache (key {Ids.Short(key)})");
        state.AddLayer(cached.Layer, cached.DiffId, cached.CreatedBy, cached.Created);
        // what follows builds on this layer: one made again misses every later step
        state.CacheKey = BuildCache.KeyOf(step.Linked ? BuildCache.KeyOf(state.CacheKey, key) : key, cached.DiffId);
    }

    /// <summary>
    /// Why a step is not in the cache: the first part of it (a file copied, an ARG's value,
    /// the command) that is not as it was when a step was last made from the same state; or
    /// that nothing was made from that state yet (a new base image, a step before it changed).
    /// </summary>
    private string WhyMissed(string parentKey, StepDescription step)
    {
        if (service.Images.BuildCache.LastFrom(parentKey) is not { } last)
            return "not in the cache: nothing was built from the state before it";
        var before = last.Step.Split('\n').ToHashSet(StringComparer.Ordinal);
        var now = step.Key.Split('\n');
        var changed = now.FirstOrDefault(l => !before.Contains(l));
        var gone = changed == null ? last.Step.Split('\n').FirstOrDefault(l => !now.Contains(l)) : null;
        return changed != null ? $"changed: {changed}" : gone != null ? $"no longer: {gone}" : "not in the cache";
    }

    private void Report(Instruction instruction, bool cached, string? key = null, string? reason = null) =>
        run.Log.Step(new BuildStepReport(run.NextStep(), run.StepCount, stage.Label, instruction.Original, instruction.Line, cached, key, reason));
}

/// <summary>
/// A layer step as the cache keys it (its instruction expanded, what it reads) and as the
/// history writes it; Linked when its layer is made apart from the state before it.
/// </summary>
internal sealed record StepDescription(string Key, string History, bool Linked = false);
