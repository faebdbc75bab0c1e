using Container.Runtime.Build.Parsing;

namespace Container.Runtime.Build;

/// <summary>One stage of a Dockerfile: its FROM (base image or earlier stage, expanded), its name, and its steps.</summary>
public sealed record BuildStage(int Index, string? Name, string Base, Instruction From, IReadOnlyList<Instruction> Steps)
{
    /// <summary>How messages and COPY --from name it: its name, else its number.</summary>
    public string Label => Name ?? Index.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// A Dockerfile cut into stages, and the stages a target needs (the target, and those it
/// builds on through FROM or COPY --from, transitively), as buildkit builds only those.
/// </summary>
public sealed class BuildPlan
{
    private BuildPlan(IReadOnlyList<Instruction> globalArgs, IReadOnlyList<BuildStage> stages, BuildStage target, IReadOnlyList<BuildStage> needed)
    {
        GlobalArgs = globalArgs;
        Stages = stages;
        Target = target;
        Needed = needed;
    }

    /// <summary>The ARGs before the first FROM: they may be used in FROM lines, and redeclared in a stage.</summary>
    public IReadOnlyList<Instruction> GlobalArgs { get; }

    public IReadOnlyList<BuildStage> Stages { get; }

    public BuildStage Target { get; }

    /// <summary>The stages to build, in Dockerfile order, the target last.</summary>
    public IReadOnlyList<BuildStage> Needed { get; }

    /// <param name="expand">A FROM line's words expanded with the global ARGs.</param>
    /// <param name="expandSource">A COPY --from or RUN --mount from= expanded as far as the plan can: with the build args and the global ARGs.</param>
    public static BuildPlan Of(Dockerfile file, string? target, Func<Instruction, IReadOnlyList<string>> expand, Func<string, string> expandSource)
    {
        var globalArgs = file.Instructions.TakeWhile(i => i.Keyword != "FROM").ToList();
        if (globalArgs.FirstOrDefault(i => i.Keyword != "ARG") is { } stray)
            throw Errors.Errors.InvalidInstruction(stray, "only ARG may come before the first FROM");
        var stages = new List<BuildStage>();
        foreach (var instruction in file.Instructions.Skip(globalArgs.Count))
        {
            if (instruction.Keyword == "FROM")
                stages.Add(StageOf(stages.Count, instruction, expand(instruction), stages));
            else
                stages[^1] = stages[^1] with { Steps = [.. stages[^1].Steps, instruction] };
        }
        var chosen = target == null ? stages[^1] : Find(stages, target) ?? throw Errors.Errors.BuildTargetNotFound(target, stages);
        return new BuildPlan(globalArgs, stages, chosen, NeededBy(chosen, stages, expandSource));
    }

    /// <summary>An earlier stage by name (case-insensitive, as docker) or number; null when none is.</summary>
    public BuildStage? StageNamed(string nameOrIndex, int before) => Find(Stages.Take(before).ToList(), nameOrIndex);

    private static BuildStage StageOf(int index, Instruction from, IReadOnlyList<string> words, List<BuildStage> earlier)
    {
        var named = words.Count == 3 && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase);
        if (!(words.Count == 1 || named) || words[0].Length == 0)
            throw Errors.Errors.InvalidInstruction(from, "FROM takes an image and, optionally, AS and a stage name");
        var name = named ? words[2].ToLowerInvariant() : null;
        if (name != null && earlier.Any(s => s.Name == name))
            throw Errors.Errors.InvalidInstruction(from, $"the stage name '{name}' is used twice");
        return new BuildStage(index, name, words[0], from, []);
    }

    private static BuildStage? Find(IReadOnlyList<BuildStage> stages, string nameOrIndex) =>
        stages.FirstOrDefault(s => s.Name == nameOrIndex.ToLowerInvariant())
        ?? (int.TryParse(nameOrIndex, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var i) && i < stages.Count
            ? stages[i]
            : null);

    /// <summary>The from= of a RUN's --mount flags: the stages (or images) it mounts.</summary>
    private static IEnumerable<string> MountedFrom(Instruction run) =>
        run.Flags.Where(f => f.Name == "mount" && f.Value != null)
            .SelectMany(f => f.Value!.Split(','))
            .Where(o => o.StartsWith("from=", StringComparison.Ordinal))
            .Select(o => o["from=".Length..]);

    private static List<BuildStage> NeededBy(BuildStage target, List<BuildStage> stages, Func<string, string> expandSource)
    {
        var needed = new HashSet<int>();
        var pending = new Stack<BuildStage>([target]);
        while (pending.TryPop(out var stage))
        {
            if (!needed.Add(stage.Index))
                continue;
            var earlier = stages.Take(stage.Index).ToList();
            var uses = stage.Steps.Where(s => s.Keyword is "COPY" or "ADD").Select(s => s.Flag("from")).OfType<string>()
                .Concat(stage.Steps.Where(s => s.Keyword == "RUN").SelectMany(MountedFrom))
                .Select(expandSource)
                .Prepend(stage.Base);
            foreach (var use in uses)
                if (Find(earlier, use) is { } dependency)
                    pending.Push(dependency);
        }
        return stages.Where(s => needed.Contains(s.Index)).ToList();
    }
}
