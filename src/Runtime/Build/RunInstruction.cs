using Container.Runtime.Build.Parsing;
using Container.Runtime.Images;

namespace Container.Runtime.Build;

/// <summary>
/// RUN: its command in a container of the stage's state, on the build's network, with the
/// stage's ARGs in its environment; the container's writable layer is the step's layer.
/// </summary>
internal static class RunInstruction
{
    public static StepDescription Describe(StageState state, Instruction instruction, BuildRun run)
    {
        var command = Command(state, instruction);
        // an ARG's value is part of every RUN after it, used or not, as in docker's cache; the predefined ones are not
        var arguments = Arguments(state).Select(a => $"{a.Key}={a.Value}").Order(StringComparer.Ordinal);
        return new StepDescription(
            $"RUN {Json.SerializeToString(command)}\n{string.Join('\n', arguments)}\nnetwork={run.Request.Network}",
            $"RUN {string.Join(' ', command)} # buildkit");
    }

    public static Descriptor Run(BuildService service, StageState state, Instruction instruction, BuildRun run, string stage)
    {
        var command = Command(state, instruction);
        var environment = Arguments(state).Concat(run.Globals.PredefinedGiven.Where(a => state.EnvironmentValue(a.Key) == null))
            .ToDictionary(StringComparer.Ordinal);
        return StepContainer.MakeLayer(service, state, spec =>
        {
            var ended = service.Containers.Run(spec with
            {
                Command = command,
                Entrypoint = [],
                Environment = environment,
                WorkingDirectory = state.Container.WorkingDir,
                User = state.Container.User,
                Network = run.Request.Network,
            }, remove: false, run.Log.Output, run.Cancellation);
            if (ended.ExitCode != 0)
                throw Errors.Errors.BuildStepFailed(instruction, stage, ended.ExitCode ?? Containers.ContainerInfo.UnknownExitCode);
        });
    }

    /// <summary>
    /// The command: the exec form as written; the shell form run by the stage's shell, its
    /// heredocs given to that shell as the shell reads them (a RUN that is only a heredoc runs
    /// the heredoc as its script, as buildkit does).
    /// </summary>
    internal static IReadOnlyList<string> Command(StageState state, Instruction instruction)
    {
        if (instruction.Exec is { } exec)
            return exec;
        var script = instruction.Arguments.Trim();
        if (instruction.Heredocs is [var only] && script.TrimStart('<', '-').Trim('\'', '"') == only.Name)
            script = only.Content;
        else if (instruction.Heredocs.Count > 0)
            script += "\n" + string.Concat(instruction.Heredocs.Select(h => (h.Content.EndsWith('\n') ? h.Content : h.Content + "\n") + h.Name + "\n"));
        return [.. state.Shell, script];
    }

    /// <summary>The stage's ARGs that have a value and that no ENV overrides.</summary>
    private static IEnumerable<KeyValuePair<string, string>> Arguments(StageState state) =>
        state.Args.Where(a => a.Value != null && state.EnvironmentValue(a.Key) == null).Select(a => KeyValuePair.Create(a.Key, a.Value!));
}
