// The engine's API, as the benchmarks drive it (no pwsh).
// usage: Bench <store root> <command> [arguments]
//   import <archive> [name]      import an archive (or rootfs) into the store
using Container.Runtime;
using Container.Runtime.Images;
using Container.Runtime.Storage;

var engine = new ContainerEngine(new StorePaths(args[0], Path.Combine(args[0], "run")));
switch (args[1])
{
    case "import":
        engine.Importer.Import(args[2], args.Length > 3 ? ImageReference.Parse(args[3]) : null, null);
        break;
    default:
        Console.Error.WriteLine($"unknown command {args[1]}");
        return 2;
}
return 0;
