using System.Text.Json;
using Container.Runtime.Processes;

namespace Container.Runtime.Runtimes;

/// <summary>
/// An OCI runtime's command line: ours (the default), crun or runc. The engine talks to
/// all three the same way; each keeps its state under its own root.
/// </summary>
public sealed class OciRuntime
{
    public const string Default = NativeBinaries.RuntimeName;

    private OciRuntime(string name, string path)
    {
        Name = name;
        Path = path;
    }

    public string Name { get; }

    public string Path { get; }

    /// <summary>"container-runtime", "crun", "runc" (found on PATH) or an absolute path.</summary>
    public static OciRuntime Resolve(string? name)
    {
        if (string.IsNullOrEmpty(name) || name == Default)
            return new OciRuntime(Default, NativeBinaries.RuntimePath);
        if (System.IO.Path.IsPathRooted(name))
            return File.Exists(name)
                ? new OciRuntime(System.IO.Path.GetFileName(name), name)
                : throw Errors.Errors.NotInstalled(name, "Give the path of an OCI runtime binary.");
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin").Split(':'))
        {
            var candidate = System.IO.Path.Combine(dir, name);
            if (dir.Length > 0 && File.Exists(candidate))
                return new OciRuntime(name, candidate);
        }
        throw Errors.Errors.NotInstalled(name, $"Install it (apt-get install {name}) or choose another runtime.");
    }

    /// <summary>The status the runtime reports ("created", "running", "paused", "stopped"), or null if it does not know the id.</summary>
    public string? Status(string root, string id)
    {
        var result = Invoke(root, ["state", id]);
        if (!result.Succeeded)
            return null;
        using var state = JsonDocument.Parse(result.StandardOutput);
        return state.RootElement.TryGetProperty("status", out var status) ? status.GetString() : null;
    }

    public void Kill(string root, string id, string signal, bool all = false)
    {
        var result = Invoke(root, all ? ["kill", "--all", id, signal] : ["kill", id, signal]);
        if (!result.Succeeded)
            throw Errors.Errors.RuntimeFailed(Name, "kill", result.ErrorText, id);
    }

    /// <summary>Forgets the container (its cgroup and state); an id the runtime does not know is fine.</summary>
    public void Delete(string root, string id, bool force)
    {
        // all three keep a container's state in <root>/<id>: none there, none to ask about
        if (!Directory.Exists(System.IO.Path.Combine(root, id)) || Status(root, id) == null)
            return;
        var result = Invoke(root, force ? ["delete", "--force", id] : ["delete", id]);
        if (!result.Succeeded && Status(root, id) != null)
            throw Errors.Errors.RuntimeFailed(Name, "delete", result.ErrorText, id);
    }

    public ProcessResult Invoke(string root, IEnumerable<string> arguments) =>
        ProcessRunner.Run(Path, ["--root", root, .. arguments], timeout: TimeSpan.FromMinutes(2));
}
