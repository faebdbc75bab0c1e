// The engine's API, as the benchmarks drive it (no pwsh). Timings are taken in this one
// process, as a pwsh session calls the engine: loaded once, then called; a peer's command
// is timed from its spawn to its exit, as its users call it.
// usage: Bench <store root> <command> [arguments]     (the run root: CONTAINER_RUNROOT, else <store root>/run)
//   import <archive> [name]                      import an archive (or rootfs) into the store
//   import-copies <rootfs> <repository> <count>  the rootfs as count images (repository:1..count), each its own by a label
//   create <image> <runs>                        create of /bin/true (New-Container), ms per run (JSON); each removed after, untimed
//   create-once <image>                          one create and remove, untimed (to trace what it reads)
//   lifecycle <image> <runs> [network]           create + start + wait + remove of /bin/true (on the network: -Network), ms per run (JSON)
//   lifecycle-mounts <image> <runs> <volume>...  the same with no mount and with each -Volume given (bind or named), runs
//                                                interleaved (so a loaded machine's drift falls on each alike), ms per run of each (JSON lists)
//   lifecycle-versus <image> <runs> <network>... [-- <program> [arguments]]...
//                                                the lifecycle on each network and each peer's command (a spawn, timed to its exit),
//                                                in turn each round (so a loaded machine's drift falls on each alike), after three
//                                                untimed each: ms per run of each, networks then commands (JSON lists)
//   lifecycle-phases <image> <runs> <network>... the same on each network in turn each round: the mean ms of its create, start,
//                                                wait and remove (JSON), to see where a network's time goes
//   exec <runs> [--fresh <dir>] [--warmup <n>] -- <program> [arguments]
//                                                a peer's command, ms per run (JSON), after n runs untimed (3); dir made empty before each, untimed
//   volume-create <name>                         a named volume (New-ContainerVolume); prints where its files are
//   volume-export <name> <archive> <runs>        Export-ContainerVolume, ms per run (JSON), after five untimed (the JIT's tiers settle, as in a session that exported before)
//   volume-import <archive> <runs>               Import-ContainerVolume into a new volume, ms per run (JSON), after five untimed; each removed after, untimed
//   volume-import-once <archive> <name>          one import, kept; prints where its files are
//   start-many <image> <count>                   sleeping containers (sleeper-N) until there are count
//   start-published <image> <name> [publish]     a sleeping container on the default bridge, the port published (-Publish); prints its id and address
//   list <runs> | stats <runs>                   Get-Container, Get-ContainerStats (of every running one), ms per run (JSON)
//   remove-all                                   every container, by force
//   pull <reference>                             Request-ContainerImage: fetch (the blobs the store lacks) and unpack
//   pull-again <reference> <runs>                the pull of an image the store has (after three untimed), ms per run (JSON)
//   push <image> <reference>                     Submit-ContainerImage of an image of the store to reference
//   pull-warm <reference> <runs>                 the pull into an empty store (<store root>/warm, emptied untimed before each), in
//                                                this one process after three untimed, as a pwsh session pulls: ms per run (JSON)
//   build <context> <tag> [--no-cache]           Build-ContainerImage of the context's Dockerfile (FROM busybox:bench), on no network
//   build-warm <context> <tag> <runs> <--cache|--no-cache> [prepare]
//                                                the same in this one process after three untimed, prepare (a bash command) run
//                                                untimed before each: ms per run (JSON)
//   push-warm <image> <reference> <runs> <prepare>
//                                                the push, in this one process after three untimed, prepare (a bash command) run
//                                                untimed before each: ms per run (JSON)
//   project-up <dir> <name>                      Start-ContainerProject of the directory's compose file as project name
//   project-down <name>                          Remove-ContainerProject (its volumes kept)
//   project-warm <dir> <name> <runs>             the same in this one process after three untimed, as a pwsh session calls them:
//                                                up (down untimed before each), down (up untimed before each), and up with
//                                                nothing changed; ms per run of each (JSON: {"up": [...], "down": [...], "again": [...]})
using System.Diagnostics;
using System.Text.Json;
using Container.Runtime;
using Container.Runtime.Build;
using Container.Runtime.Compose;
using Container.Runtime.Containers;
using Container.Runtime.Images;
using Container.Runtime.Storage;
using Container.Runtime.Volumes;

// the store given, its run root where CONTAINER_RUNROOT says (the benchmarks: tmpfs, as the default's)
Environment.SetEnvironmentVariable(StorePaths.RootVariable, args[0]);
var engine = new ContainerEngine(StorePaths.FromEnvironment());
var containers = engine.Containers;
const int Warmup = 3;

switch (args[1])
{
    case "import":
        engine.Importer.Import(args[2], args.Length > 3 ? ImageReference.Parse(args[3]) : null, ImageDefaults.From(["sh"], null, null));
        break;
    case "import-copies":
        for (var i = 1; i <= int.Parse(args[4]); i++)
            engine.Importer.Import(args[2], ImageReference.Parse($"{args[3]}:{i}"),
                ImageDefaults.From(["sh"], new Dictionary<string, string> { ["BENCH_COPY"] = $"{i}" }, null));
        break;
    case "create":
        var createOnly = RunsTrue(args[2]);
        var created = "";
        Report(Time(int.Parse(args[3]), () => created = containers.Create(createOnly).Id, () => containers.Remove(created, force: false)));
        break;
    case "create-once":
        containers.Remove(containers.Create(RunsTrue(args[2])).Id, force: false);
        break;
    case "lifecycle":
        var spec = RunsTrue(args[2]) with { Network = args.Length > 4 ? args[4] : null };
        Report(Time(int.Parse(args[3]), () => RunOnce(containers, spec)));
        break;
    case "lifecycle-mounts":
        // as -Volume reads them, relative to the current directory
        List<ContainerSpec> specs = [RunsTrue(args[2]), .. args[4..].Select(volume =>
            RunsTrue(args[2]) with { Mounts = [MountParser.ParseVolume(volume, Environment.CurrentDirectory)] })];
        Console.WriteLine(JsonSerializer.Serialize(TimeInterleaved(int.Parse(args[3]), specs.Select(s => (Action)(() => RunOnce(containers, s))).ToList())));
        break;
    case "lifecycle-versus":
        var groups = string.Join('\u0000', args[4..]).Split("\u0000--\u0000");
        var runs = groups[0].Split('\u0000').Select(network => (Action)(() => RunOnce(containers, RunsTrue(args[2]) with { Network = network })));
        var peers = groups[1..].Select(group => group.Split('\u0000')).Select(command => (Action)(() => Spawn(command[0], command[1..])));
        Console.WriteLine(JsonSerializer.Serialize(TimeInterleaved(int.Parse(args[3]), [.. runs, .. peers])));
        break;
    case "lifecycle-phases":
        // where a run's time goes: create, start, wait and remove each, the networks in turn each round
        var phaseRuns = int.Parse(args[3]);
        var phaseNetworks = args[4..];
        var phases = phaseNetworks.Select(_ => new double[4]).ToArray();
        for (var round = -Warmup; round < phaseRuns; round++)
            for (var n = 0; n < phaseNetworks.Length; n++)
            {
                var watch = Stopwatch.StartNew();
                var marks = new double[4];
                var phaseId = containers.Create(RunsTrue(args[2]) with { Network = phaseNetworks[n] }).Id;
                marks[0] = watch.Elapsed.TotalMilliseconds;
                containers.Start(phaseId);
                marks[1] = watch.Elapsed.TotalMilliseconds;
                containers.Wait(phaseId);
                marks[2] = watch.Elapsed.TotalMilliseconds;
                containers.Remove(phaseId, force: false);
                marks[3] = watch.Elapsed.TotalMilliseconds;
                for (var p = 0; round >= 0 && p < 4; p++)
                    phases[n][p] += marks[p] - (p > 0 ? marks[p - 1] : 0);
            }
        Console.WriteLine(JsonSerializer.Serialize(phaseNetworks.Select((network, n) => new Dictionary<string, object>
        {
            ["network"] = network, ["create"] = phases[n][0] / phaseRuns, ["start"] = phases[n][1] / phaseRuns,
            ["wait"] = phases[n][2] / phaseRuns, ["remove"] = phases[n][3] / phaseRuns,
        })));
        break;
    case "exec":
        var separator = Array.IndexOf(args, "--");
        var options = args[3..separator];
        var fresh = OptionOf(options, "--fresh");
        Report(Time(int.Parse(args[2]), () => Spawn(args[separator + 1], args[(separator + 2)..]),
            before: fresh == null ? null : () => MakeEmpty(fresh), warmup: int.Parse(OptionOf(options, "--warmup") ?? $"{Warmup}")));
        break;
    case "volume-create":
        Console.WriteLine(engine.Volumes.Create(new VolumeSpec { Name = args[2] }).Mountpoint);
        break;
    case "volume-export":
        Report(Time(int.Parse(args[4]), () => engine.Volumes.Export(args[2], args[3]), warmup: 5));
        break;
    case "volume-import":
        var imports = 0;
        Report(Time(int.Parse(args[3]), () => engine.Volumes.Import(args[2], $"imported-{++imports}"), () => engine.Volumes.Remove($"imported-{imports}"), warmup: 5));
        break;
    case "volume-import-once":
        Console.WriteLine(engine.Volumes.Import(args[2], args[3]).Mountpoint);
        break;
    case "start-many":
        for (var i = containers.List().Count; i < int.Parse(args[3]); i++)
        {
            containers.Create(new ContainerSpec { Image = args[2], Name = $"sleeper-{i}", Command = ["sleep", "100000"] });
            containers.Start($"sleeper-{i}");
        }
        break;
    case "start-published":
        containers.Create(new ContainerSpec { Image = args[2], Name = args[3], Network = "bridge", Publish = args.Length > 4 ? [args[4]] : null, Command = ["sleep", "100000"] });
        var published = containers.Start(args[3]);
        Console.WriteLine($"{published.Id} {published.Networks[0].Address}");
        break;
    case "list":
        Report(Time(int.Parse(args[2]), () => containers.List()));
        break;
    case "stats":
        // Get-ContainerStats without a name: every running container, one sample each
        Report(Time(int.Parse(args[2]), () => containers.StatsOfRunning()));
        break;
    case "remove-all":
        foreach (var container in containers.List())
            containers.Remove(container.Id, force: true);
        break;
    case "pull":
        engine.Registries.Pull(args[2]);
        break;
    case "pull-again":
        Report(Time(int.Parse(args[3]), () => engine.Registries.Pull(args[2])));
        break;
    case "push":
        engine.Registries.Push(args[2], args[3]);
        break;
    case "pull-warm":
        var warm = Path.Combine(args[0], "warm");
        Report(Time(int.Parse(args[3]), () =>
        {
            Environment.SetEnvironmentVariable(StorePaths.RootVariable, warm);
            new ContainerEngine(StorePaths.FromEnvironment()).Registries.Pull(args[2]);
        }, before: () => MakeEmpty(warm)));
        break;
    case "push-warm":
        Report(Time(int.Parse(args[4]), () => engine.Registries.Push(args[2], args[3]), before: () => Spawn("bash", ["-c", args[5]])));
        break;
    case "build":
        Build(engine, args[2], args[3], noCache: args.Length > 4 && args[4] == "--no-cache");
        break;
    case "build-warm":
        Report(Time(int.Parse(args[4]), () => Build(engine, args[2], args[3], noCache: args[5] == "--no-cache"),
            before: args.Length > 6 ? () => Spawn("bash", ["-c", args[6]]) : null));
        break;
    case "project-up":
        ProjectUp(engine, args[2], args[3]);
        break;
    case "project-down":
        engine.Projects.Down(args[2], removeVolumes: false, _ => { });
        break;
    case "project-warm":
        var projectRuns = int.Parse(args[4]);
        void Down() => engine.Projects.Down(args[3], removeVolumes: false, _ => { });
        void Up() => ProjectUp(engine, args[2], args[3]);
        var ups = Time(projectRuns, Up, before: Down);
        var downs = Time(projectRuns, Down, before: Up);
        Up();
        var again = Time(projectRuns, Up);
        Down();
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, List<double>> { ["up"] = ups, ["down"] = downs, ["again"] = again }));
        break;
    default:
        Console.Error.WriteLine($"unknown command {args[1]}");
        return 2;
}
return 0;

// Build-ContainerImage of the context's Dockerfile as tag, on no network (as the peers are run)
static void Build(ContainerEngine engine, string context, string tag, bool noCache) =>
    engine.Builds.Build(new BuildRequest
    {
        ContextDirectory = context,
        Dockerfile = File.ReadAllText(Path.Combine(context, "Dockerfile")),
        Tags = [ImageReference.Parse(tag)],
        NoCache = noCache,
        Network = "none",
    }, new SilentBuildLog());

// the project loaded as a cmdlet loads it (its directory's compose file, the process's environment), then up -d
static void ProjectUp(ContainerEngine engine, string directory, string name) =>
    engine.Projects.Up(ComposeLoader.Load(ComposeLoadOptions.Of(directory, [], name)), new ProjectUpOptions(), _ => { });

static ContainerSpec RunsTrue(string image) => new() { Image = image, Command = ["/bin/true"] };

static void RunOnce(ContainerService containers, ContainerSpec spec)
{
    var id = containers.Create(spec).Id;
    containers.Start(id);
    if (containers.Wait(id).ExitCode != 0)
        throw new InvalidOperationException("/bin/true failed");
    containers.Remove(id, force: false);
}

// before and after, if given, precede and follow each run, untimed
static List<double> Time(int runs, Action action, Action? after = null, Action? before = null, int warmup = Warmup)
{
    for (var i = 0; i < warmup; i++)
    {
        before?.Invoke();
        action();
        after?.Invoke();
    }
    var times = new List<double>();
    for (var i = 0; i < runs; i++)
    {
        before?.Invoke();
        var watch = Stopwatch.StartNew();
        action();
        times.Add(watch.Elapsed.TotalMilliseconds);
        after?.Invoke();
    }
    return times;
}

// each action warmed up, then run in turn, runs times each: times per action
static List<List<double>> TimeInterleaved(int runs, List<Action> actions)
{
    foreach (var action in actions)
        for (var i = 0; i < Warmup; i++)
            action();
    var times = actions.Select(_ => new List<double>()).ToList();
    for (var i = 0; i < runs; i++)
        for (var a = 0; a < actions.Count; a++)
        {
            var watch = Stopwatch.StartNew();
            actions[a]();
            times[a].Add(watch.Elapsed.TotalMilliseconds);
        }
    return times;
}

static string? OptionOf(string[] options, string name) =>
    Array.IndexOf(options, name) is >= 0 and var at ? options[at + 1] : null;

static void MakeEmpty(string directory)
{
    if (Directory.Exists(directory))
        Directory.Delete(directory, recursive: true);
    Directory.CreateDirectory(directory);
}

static void Spawn(string program, string[] arguments)
{
    var start = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
    using var process = Process.Start(start)!;
    var output = process.StandardOutput.ReadToEndAsync();
    var errors = process.StandardError.ReadToEnd();
    process.WaitForExit();
    output.Wait();
    if (process.ExitCode != 0)
        throw new InvalidOperationException($"{program} exited {process.ExitCode}: {errors}");
}

static void Report(List<double> times) => Console.WriteLine(JsonSerializer.Serialize(times));

// a build's reports, dropped: the benchmark times the build
sealed class SilentBuildLog : IBuildLog
{
    public void Step(BuildStepReport step)
    {
    }

    public void Output(Container.Runtime.Logs.LogStream stream, string line)
    {
    }

    public void Note(string message)
    {
    }
}
