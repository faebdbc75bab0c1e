// usage: EngineHost <store root> <command> [arguments]
//   run <image> <name> <command...>   create and start a container, then exit at once
//   create <image> <name> <command...>
//   start <name> | remove <name> | wait <name>
//   cycle <image> <prefix> <rounds>   create, start, wait for and remove <prefix>-0, -1...
//   import <path> [name]   remove-image <reference>   images
//   create-mounted <image> <name> <network> <-Volume text...>   a container with those mounts, made and not run
//   volumes <prefix> <count>   make volumes <prefix>-0, -1... (New-ContainerVolume)
//   import-volume <path> <name>
// Prints "ok" or "error <id>: <message>" and exits 0 or 1.
using Container.Runtime;
using Container.Runtime.Containers;
using Container.Runtime.Errors;
using Container.Runtime.Images;
using Container.Runtime.Storage;
using Container.Runtime.Volumes;

var engine = new ContainerEngine(new StorePaths(args[0], Path.Combine(args[0], "run")));
try
{
    switch (args[1])
    {
        case "run":
            engine.Containers.Create(new ContainerSpec { Image = args[2], Name = args[3], Command = args[4..] });
            engine.Containers.Start(args[3]);
            break;
        case "create":
            engine.Containers.Create(new ContainerSpec { Image = args[2], Name = args[3], Command = args[4..] });
            break;
        case "cycle":
            for (var round = 0; round < int.Parse(args[4]); round++)
            {
                var name = $"{args[3]}-{round}";
                Console.WriteLine($"id {engine.Containers.Create(new ContainerSpec { Image = args[2], Name = name, Command = ["sh", "-c", "echo $HOSTNAME"] }).Id}");
                engine.Containers.Start(name);
                var exited = engine.Containers.Wait(name, TimeSpan.FromSeconds(60));
                if (exited.ExitCode != 0 || engine.Containers.ReadLog(name).Single().Text != name)
                    throw new InvalidOperationException($"{name} exited {exited.ExitCode}");
                engine.Containers.Remove(name, force: false);
            }
            break;
        case "create-mounted":
            engine.Containers.Create(new ContainerSpec
            {
                Image = args[2], Name = args[3], Network = args[4], Command = ["true"],
                Mounts = args[5..].Select(text => MountParser.ParseVolume(text, "/")).ToList(),
            });
            break;
        case "volumes":
            for (var i = 0; i < int.Parse(args[3]); i++)
                engine.Volumes.Create(new VolumeSpec { Name = $"{args[2]}-{i}" });
            break;
        case "import-volume":
            engine.Volumes.Import(args[2], args[3]);
            break;
        case "start":
            engine.Containers.Start(args[2]);
            break;
        case "remove":
            engine.Containers.Remove(args[2], force: true);
            break;
        case "wait":
            Console.WriteLine(engine.Containers.Wait(args[2]).ExitCode);
            break;
        case "import":
            foreach (var image in engine.Importer.Import(args[2], args.Length > 3 ? ImageReference.Parse(args[3]) : null, null))
                Console.WriteLine($"{image.Reference} {image.Id} {string.Join(',', image.Layers)}");
            break;
        case "remove-image":
            engine.Images.Remove(args[2], force: false);
            break;
        case "images":
            foreach (var image in engine.Images.List())
                Console.WriteLine($"{image.Reference} {image.Id} {string.Join(',', image.Layers)}");
            break;
        default:
            throw new ArgumentException($"unknown command {args[1]}");
    }
    Console.WriteLine("ok");
    return 0;
}
catch (ContainerException e)
{
    Console.WriteLine($"error {e.ErrorId}: {e.Message}");
    return 1;
}
