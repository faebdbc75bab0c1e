// The engine's code run on this runtime, JIT-compiled where its ReadyToRun code is for another:
// a store made, images and containers listed, a reference parsed. Prints "ok <runtime version>".
using Container.Runtime;
using Container.Runtime.Images;
using Container.Runtime.Storage;

var root = Directory.CreateTempSubdirectory("compat-store-").FullName;
try
{
    var engine = new ContainerEngine(new StorePaths(root, Path.Combine(root, "run")).EnsureCreated());
    var reference = ImageReference.Parse("busybox:compat");
    if (engine.Images.List().Count != 0 || engine.Containers.List().Count != 0 || reference.ToString() != "docker.io/library/busybox:compat")
        throw new InvalidOperationException($"an empty store listed something, or {reference} was misread");
    Console.WriteLine($"ok {Environment.Version}");
}
finally
{
    Directory.Delete(root, recursive: true);
}
