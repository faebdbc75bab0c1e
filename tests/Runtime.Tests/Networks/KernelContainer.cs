using System.Text.Json.Nodes;
using Xunit;
using Container.Runtime;
using Container.Runtime.Containers;
using Container.Runtime.Linux;
using Container.Runtime.Monitor;
using Container.Runtime.Networks;
using Container.Runtime.Oci;
using Container.Runtime.Processes;
using Container.Runtime.Storage;
using Container.Tests.Fixtures;

namespace Container.Tests.Networks;

/// <summary>
/// A real busybox container in a network namespace the driver made, run by the real monitor
/// and runtime from a bundle of its own (until the engine's wiring names the namespace in the
/// bundles it writes). Its /tmp is a directory of the test's: what it writes there (results),
/// and what busybox httpd serves from there (index.html says the container's name).
/// </summary>
internal sealed class KernelContainer : IDisposable
{
    private readonly IOciRuntime runtime;

    private KernelContainer(StorePaths paths, string name)
    {
        Id = Ids.New();
        Name = name;
        Dir = paths.ContainerDir(Id);
        Shared = Path.Combine(Dir, "shared");
        runtime = new OciRuntimes(paths).Resolve(null);
    }

    public string Id { get; }

    public string Name { get; }

    public string Dir { get; }

    /// <summary>The container's /tmp, seen from the host.</summary>
    public string Shared { get; }

    public string ExitFile => Path.Combine(Dir, ContainerStore.ExitFile);

    /// <summary>Makes the bundle of the command, in the network namespace at netnsPath.</summary>
    public static KernelContainer Prepare(StorePaths paths, string name, string netnsPath, params string[] command)
    {
        var container = new KernelContainer(paths, name);
        Directory.CreateDirectory(container.Shared);
        File.WriteAllText(Path.Combine(container.Shared, "index.html"), name);
        var made = ProcessRunner.Run(NativeBinaries.RuntimePath, ["spec", "--bundle", container.Dir]);
        Assert.True(made.Succeeded, made.ErrorText);
        var configFile = Path.Combine(container.Dir, "config.json");
        var config = JsonNode.Parse(File.ReadAllText(configFile))!;
        config["process"]!["terminal"] = false;
        config["process"]!["args"] = new JsonArray([.. command.Select(a => (JsonNode)a)]);
        // ping opens a raw socket
        foreach (var set in new[] { "bounding", "effective", "permitted" })
            config["process"]!["capabilities"]![set]!.AsArray().Add("CAP_NET_RAW");
        config["root"] = new JsonObject { ["path"] = BusyboxRootfs.Path, ["readonly"] = true };
        config["hostname"] = name;
        config["mounts"]!.AsArray().Add(new JsonObject
        {
            ["destination"] = "/tmp", ["type"] = "bind", ["source"] = container.Shared, ["options"] = new JsonArray("rbind", "rw"),
        });
        var namespaces = config["linux"]!["namespaces"]!.AsArray();
        foreach (var entry in namespaces.Where(n => (string?)n!["type"] == "network").ToList())
            namespaces.Remove(entry);
        namespaces.Add(new JsonObject { ["type"] = "network", ["path"] = netnsPath });
        File.WriteAllText(configFile, config.ToJsonString());
        return container;
    }

    /// <summary>Starts it under the monitor; a refusal (PortInUse) is the monitor's answer, thrown.</summary>
    public void Run(NetworkSetup? network) =>
        new ContainerMonitor().Start(new ContainerMonitor.Options(runtime, Id, Dir, Path.Combine(Dir, "container.log"), [Path.Combine(Dir, "rootfs")])
        {
            BootId = ProcessTable.Host.BootId,
            Network = network,
        }, Name, CancellationToken.None);

    /// <summary>The file the container writes in its /tmp, once it is there and complete (written, then renamed by the command).</summary>
    public string WaitForFile(string name, TimeSpan? timeout = null)
    {
        var path = Path.Combine(Shared, name);
        Until(() => File.Exists(path) || File.Exists(ExitFile), timeout ?? TimeSpan.FromSeconds(30), $"{Name} to write {name}");
        return File.Exists(path) ? File.ReadAllText(path) : throw new InvalidOperationException($"{Name} ended without writing {name}: {Log()}");
    }

    public ExitRecord WaitForExit(TimeSpan? timeout = null)
    {
        Until(() => File.Exists(ExitFile), timeout ?? TimeSpan.FromSeconds(30), $"{Name} to exit");
        return Json.ReadFile<ExitRecord>(ExitFile);
    }

    /// <summary>Waits until the container listens on the tcp port (its /proc/net says so: the server has started).</summary>
    public void WaitForListening(int port) =>
        Until(() => ContainerPid() is { } pid && Listens(pid, port), TimeSpan.FromSeconds(30), $"{Name} to listen on {port}");

    private static bool Listens(int pid, int port) =>
        new[] { "tcp", "tcp6" }.SelectMany(table => File.ReadAllLines($"/proc/{pid}/net/{table}").Skip(1))
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            // the local address (hex ip:port), and the state: 0A is LISTEN
            .Any(fields => fields[1].EndsWith($":{port:X4}", StringComparison.Ordinal) && fields[3] == "0A");

    /// <summary>Polls the condition, for at most timeout.</summary>
    private static void Until(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Timed out waiting for {what}.");
            Thread.Sleep(20);
        }
    }

    public string Log() => File.Exists(Path.Combine(Dir, "container.log")) ? File.ReadAllText(Path.Combine(Dir, "container.log")) : "";

    public void Stop()
    {
        if (File.Exists(ExitFile) || !File.Exists(Path.Combine(Dir, ContainerStore.RunFile)))
            return;
        runtime.Kill(Id, "KILL", all: true);
        WaitForExit();
    }

    public void Dispose()
    {
        try
        {
            Stop();
        }
        finally
        {
            Directory.Delete(Dir, recursive: true);
        }
    }

    private int? ContainerPid()
    {
        var run = Json.ReadFileIfExists<RunRecord>(Path.Combine(Dir, ContainerStore.RunFile));
        return run?.Pid;
    }
}
