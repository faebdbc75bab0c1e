// The engine's API, as the benchmarks drive it (no pwsh). Timings are taken in this one
// process, as a pwsh session calls the engine: loaded once, then called; a peer's command
// is timed from its spawn to its exit, as its users call it.
// usage: Bench <store root> <command> [arguments]     (the run root: CONTAINER_RUNROOT, else <store root>/run)
//   import <archive> [name]                      import an archive (or rootfs) into the store
//   import-copies <rootfs> <repository> <count>  the rootfs as count images (repository:1..count), each its own by a label
//   create <image> <runs>                        create of /bin/true (New-Container), ms per run (JSON); each removed after, untimed
//   create-once <image>                          one create and remove, untimed (to trace what it reads)
//   lifecycle <image> <runs> [network]           create + start + wait + remove of /bin/true (on the network: -Network), ms per run (JSON)
//   exec <runs> -- <program> [arguments]         a peer's command, ms per run (JSON)
//   start-many <image> <count>                   sleeping containers (sleeper-N) until there are count
//   start-published <image> <name> <publish>     a sleeping container on the default bridge, the port published (-Publish); prints its id and address
//   list <runs> | stats <runs>                   Get-Container, Get-ContainerStats (of every running one), ms per run (JSON)
//   remove-all                                   every container, by force
using System.Diagnostics;
using System.Text.Json;
using Container.Runtime;
using Container.Runtime.Containers;
using Container.Runtime.Images;
using Container.Runtime.Storage;

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
        Report(Time(int.Parse(args[3]), () =>
        {
            var id = containers.Create(spec).Id;
            containers.Start(id);
            if (containers.Wait(id).ExitCode != 0)
                throw new InvalidOperationException("/bin/true failed");
            containers.Remove(id, force: false);
        }));
        break;
    case "exec":
        var separator = Array.IndexOf(args, "--");
        Report(Time(int.Parse(args[2]), () => Spawn(args[separator + 1], args[(separator + 2)..])));
        break;
    case "start-many":
        for (var i = containers.List().Count; i < int.Parse(args[3]); i++)
        {
            containers.Create(new ContainerSpec { Image = args[2], Name = $"sleeper-{i}", Command = ["sleep", "100000"] });
            containers.Start($"sleeper-{i}");
        }
        break;
    case "start-published":
        containers.Create(new ContainerSpec { Image = args[2], Name = args[3], Network = "bridge", Publish = [args[4]], Command = ["sleep", "100000"] });
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
    default:
        Console.Error.WriteLine($"unknown command {args[1]}");
        return 2;
}
return 0;

static ContainerSpec RunsTrue(string image) => new() { Image = image, Command = ["/bin/true"] };

// after, if given, follows each run, untimed
static List<double> Time(int runs, Action action, Action? after = null)
{
    for (var i = 0; i < Warmup; i++)
    {
        action();
        after?.Invoke();
    }
    var times = new List<double>();
    for (var i = 0; i < runs; i++)
    {
        var watch = Stopwatch.StartNew();
        action();
        times.Add(watch.Elapsed.TotalMilliseconds);
        after?.Invoke();
    }
    return times;
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
