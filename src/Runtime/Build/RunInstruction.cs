using Container.Runtime.Build.Parsing;
using Container.Runtime.Images;

namespace Container.Runtime.Build;

/// <summary>
/// RUN: its command in a container of the stage's state, on the build's network (or its
/// own --network), with the stage's ARGs in its environment and its --mounts; the container's
/// writable layer, less the mounts' mount points, is the step's layer.
/// </summary>
internal sealed class RunInstruction
{
    private readonly Instruction instruction;
    private readonly BuildRun run;
    private readonly string stage;
    private readonly IReadOnlyList<string> command;
    private readonly Dictionary<string, string> environment;
    private readonly string? network;
    private readonly IReadOnlyDictionary<string, StageState> mountedFrom;

    private RunInstruction(Instruction instruction, BuildRun run, string stage, IReadOnlyList<string> command, Dictionary<string, string> environment,
        string? network, IReadOnlyDictionary<string, StageState> mountedFrom)
    {
        this.instruction = instruction;
        this.run = run;
        this.stage = stage;
        this.command = command;
        this.environment = environment;
        this.network = network;
        this.mountedFrom = mountedFrom;
    }

    public static RunInstruction Plan(BuildService service, StageState state, Instruction instruction, BuildRun run, BuildStage stage,
        BuiltStages built)
    {
        var environment = Arguments(state).Concat(run.Globals.PredefinedGiven.Where(a => state.EnvironmentValue(a.Key) == null))
            .ToDictionary(StringComparer.Ordinal);
        var network = instruction.Flag("network") switch
        {
            null or "default" => run.Request.Network,
            "none" => "none",
            "host" => "host",
            var other => throw Errors.Errors.InvalidInstruction(instruction, $"--network={other} is not one of default, none, host"),
        };
        var from = RunMounts.From(instruction, state, run).ToDictionary(f => f, f => SourceStates.Of(service, run, built, f, stage.Index), StringComparer.Ordinal);
        return new RunInstruction(instruction, run, stage.Label, Command(state, instruction), environment, network, from);
    }

    public StepDescription Describe(StageState state)
    {
        // an ARG's value is part of every RUN after it, used or not, as in docker's cache; the predefined ones are not
        var arguments = environment.Where(a => !BuildArguments.Predefined.Contains(a.Key)).Select(a => $"{a.Key}={a.Value}").Order(StringComparer.Ordinal);
        var mounts = string.Join('\n', instruction.Flags.Where(f => f.Name == "mount").Select(f => f.Value))
                     + string.Concat(mountedFrom.Select(m => $"\nfrom {m.Key}: {(m.Value.Pending ? "a stage that runs again " + Ids.New() : m.Value.CacheKey)}"))
                     + "\n" + RunMounts.Key(instruction, state, run);
        return new StepDescription(
            $"RUN {Json.SerializeToString(command)}\n{string.Join('\n', arguments)}\nnetwork={network}\n{mounts}",
            $"RUN {string.Join(' ', command)} # buildkit");
    }

    public Descriptor Make(BuildService service, StageState state) => WithMountedFrom(service, [.. mountedFrom], [], roots =>
    {
        using var mounts = RunMounts.Of(instruction, state, run, service, roots);
        return StepContainer.MakeLayer(service, state, spec =>
        {
            var ended = service.Containers.Run(spec with
            {
                Command = command,
                Entrypoint = [],
                Environment = environment,
                WorkingDirectory = state.Container.WorkingDir,
                User = state.Container.User,
                Network = network,
                Mounts = mounts.Mounts,
            }, remove: false, run.Log.Output, run.Cancellation);
            if (ended.ExitCode != 0)
                throw Errors.Errors.BuildStepFailed(instruction, stage, ended.ExitCode ?? Containers.ContainerInfo.UnknownExitCode);
        }, mounts.MountPoints.Concat(EngineMountPoints).ToHashSet(StringComparer.Ordinal));
    });

    /// <summary>What the engine mounts over every container's files (/etc/hosts, /etc/hostname, /etc/resolv.conf): its mount points are no step's change, as docker's builder leaves them out.</summary>
    private static readonly IReadOnlyList<string> EngineMountPoints = Networks.EtcFiles.Mounts.Select(m => m.Destination.TrimStart('/')).ToList();

    /// <summary>Runs make with each from= root mounted (one inside the other): its host path, by name.</summary>
    private static Descriptor WithMountedFrom(BuildService service, List<KeyValuePair<string, StageState>> pending,
        Dictionary<string, string> roots, Func<IReadOnlyDictionary<string, string>, Descriptor> make)
    {
        if (pending.Count == 0)
            return make(roots);
        var (name, state) = pending[0];
        Descriptor layer = null!;
        StepContainer.InRootOf(service, state, root =>
        {
            roots[name] = root;
            layer = WithMountedFrom(service, pending[1..], roots, make);
        });
        return layer;
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
        if (instruction.Heredocs is [var only] && StagedSources.HeredocNamed(instruction, script) == only)
            script = only.Content;
        else if (instruction.Heredocs.Count > 0)
            script += "\n" + string.Concat(instruction.Heredocs.Select(h => (h.Content.EndsWith('\n') ? h.Content : h.Content + "\n") + h.Name + "\n"));
        return [.. state.Shell, script];
    }

    /// <summary>The stage's ARGs that have a value and that no ENV overrides.</summary>
    private static IEnumerable<KeyValuePair<string, string>> Arguments(StageState state) =>
        state.Args.Where(a => a.Value != null && state.EnvironmentValue(a.Key) == null).Select(a => KeyValuePair.Create(a.Key, a.Value!));
}
