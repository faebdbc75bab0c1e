using System.Text.Json;
using Container.Runtime;
using Container.Runtime.Oci;
using Container.Runtime.Processes;
using Container.Tests.Fixtures;
using Xunit;

namespace Container.Tests.Conformance;

/// <summary>
/// An OCI bundle on the busybox rootfs (read-only, shared), with a state root of its own;
/// run under any runtime. Dispose deletes the container and both directories.
/// </summary>
public sealed class Bundle : IDisposable
{
    private readonly List<(string Runtime, string Id)> created = [];

    public Bundle(RuntimeSpec spec)
    {
        Spec = spec;
        Dir = Directory.CreateTempSubdirectory("bundle-").FullName;
        StateRoot = Directory.CreateTempSubdirectory("runtime-root-").FullName;
    }

    public RuntimeSpec Spec { get; }

    public string Dir { get; }

    public string StateRoot { get; }

    /// <summary>The defaults the engine gives containers, running args.</summary>
    public static RuntimeSpec DefaultSpec(params string[] args) => new()
    {
        OciVersion = "1.0.2",
        Root = new RootSpec { Path = BusyboxRootfs.Path, Readonly = true },
        Hostname = "conformance",
        Process = new ProcessSpec
        {
            Args = [.. args],
            Env = [SecurityDefaults.DefaultPath],
            Cwd = "/",
            NoNewPrivileges = true,
            Capabilities = new CapabilitiesSpec
            {
                Bounding = [.. SecurityDefaults.Capabilities],
                Effective = [.. SecurityDefaults.Capabilities],
                Permitted = [.. SecurityDefaults.Capabilities],
            },
            Rlimits = [new RlimitSpec { Type = "RLIMIT_NOFILE", Soft = 1024, Hard = 1024 }],
        },
        Mounts = SecurityDefaults.Mounts(),
        Linux = new LinuxSpec
        {
            Namespaces = [new() { Type = "pid" }, new() { Type = "network" }, new() { Type = "ipc" }, new() { Type = "uts" }, new() { Type = "mount" }],
            Resources = new ResourcesSpec { Devices = SecurityDefaults.DeviceRules() },
            MaskedPaths = [.. SecurityDefaults.MaskedPaths],
            ReadonlyPaths = [.. SecurityDefaults.ReadonlyPaths],
        },
    };

    public string NewId(string runtime)
    {
        var id = $"conf-{runtime}-{Ids.New()[..10]}";
        created.Add((runtime, id));
        Spec.Linux.CgroupsPath = $"/conformance/{id}";
        File.WriteAllBytes(Path.Combine(Dir, "config.json"), Json.Serialize(Spec));
        return id;
    }

    /// <summary>`run` in the foreground: the container's output and exit code.</summary>
    public ProcessResult Run(string runtime)
    {
        var id = NewId(runtime);
        return Oci.Invoke(runtime, StateRoot, ["run", "--bundle", Dir, id]);
    }

    /// <summary>create + start; the container keeps running. Returns its id.</summary>
    public string Start(string runtime) => Detached(runtime, "run", "--detach");

    /// <summary>create only: the container waits for start. Returns its id.</summary>
    public string Create(string runtime) => Detached(runtime, "create");

    /// <summary>
    /// A command that leaves the container behind: its stdio must not hold our pipes open,
    /// so it gets /dev/null and a file (whose content is the error, should the command fail).
    /// </summary>
    private string Detached(string runtime, params string[] command)
    {
        var id = NewId(runtime);
        var log = Path.Combine(StateRoot, $"{id}.stderr");
        var program = Oci.Command(runtime);
        var result = ProcessRunner.Run("sh", ["-c", "log=$1; shift; \"$@\" </dev/null >/dev/null 2>\"$log\"", "sh", log, .. program,
            "--root", StateRoot, .. command, "--bundle", Dir, id]);
        if (!result.Succeeded)
            throw new InvalidOperationException($"{runtime} {string.Join(' ', command)} failed: {File.ReadAllText(log)}");
        return id;
    }

    public ProcessResult Invoke(string runtime, params string[] arguments) => Oci.Invoke(runtime, StateRoot, arguments);

    /// <summary>What `state` says of the container.</summary>
    public JsonElement State(string runtime, string id)
    {
        var result = Invoke(runtime, "state", id);
        Assert.True(result.Succeeded, $"{runtime} state: {result.StandardError}");
        return JsonDocument.Parse(result.StandardOutput).RootElement.Clone();
    }

    public string Status(string runtime, string id) => State(runtime, id).GetProperty("status").GetString()!;

    /// <summary>Polls state until it reports status (the container may not exist yet).</summary>
    public void WaitForStatus(string runtime, string id, string status)
    {
        string? seen = null;
        for (var i = 0; i < 1000 && seen != status; i++)
        {
            var result = Invoke(runtime, "state", id);
            seen = result.Succeeded ? JsonDocument.Parse(result.StandardOutput).RootElement.GetProperty("status").GetString() : null;
            if (seen != status)
                Thread.Sleep(10);
        }
        Assert.Equal(status, seen);
    }

    public void Dispose()
    {
        foreach (var (runtime, id) in created)
            Oci.Invoke(runtime, StateRoot, ["delete", "--force", id]);
        Directory.Delete(Dir, recursive: true);
        Directory.Delete(StateRoot, recursive: true);
    }
}
