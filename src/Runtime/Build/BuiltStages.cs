namespace Container.Runtime.Build;

/// <summary>
/// The stages a build has built, each once. A stage a step names that the plan did not see
/// coming (COPY --from=$SRC, where SRC is an ARG of the stage that copies, which the plan
/// cannot expand before that stage runs) is built when the step first asks for it.
/// </summary>
internal sealed class BuiltStages(Func<BuildStage, BuiltStages, StageState> build)
{
    private readonly Dictionary<int, StageState> states = [];

    public StageState this[BuildStage stage] =>
        states.TryGetValue(stage.Index, out var state) ? state : states[stage.Index] = build(stage, this);
}
