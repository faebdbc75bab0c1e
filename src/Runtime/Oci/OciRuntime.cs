using System.Text.Json;
using Container.Runtime.Processes;

namespace Container.Runtime.Oci;

/// <summary>
/// An OCI runtime's command line: ours (the default), crun or runc. The engine talks to all
/// three the same way, here and nowhere else; each keeps its state under its own root.
/// </summary>
internal sealed class OciRuntime(string name, string path, string root, Func<string, string> stateCopyOf) : IOciRuntime
{
    public const string Default = NativeBinaries.RuntimeName;

    public string Name => name;

    public string Path => path;

    public string Root => root;

    public RuntimeOutcome Kill(string id, string signal, bool all) => Run(id, "kill", all ? ["kill", "--all", id, signal] : ["kill", id, signal]);

    public RuntimeOutcome Pause(string id) => Run(id, "pause", ["pause", id]);

    public RuntimeOutcome Resume(string id) => Run(id, "resume", ["resume", id]);

    public RuntimeOutcome Update(string id, string resourcesFile) => Run(id, "update", ["update", "--resources", resourcesFile, id]);

    public RuntimeOutcome Delete(string id)
    {
        PutBackState(id);
        // all three keep a container's state in <root>/<id>: none there, none to ask about
        if (Directory.Exists(System.IO.Path.Combine(root, id)) && Status(id) != null)
        {
            var result = Invoke(["delete", "--force", id]);
            if (!result.Succeeded && Status(id) != null)
                return new RuntimeOutcome(name, "delete", result.ErrorText);
        }
        var copy = stateCopyOf(id);
        if (Directory.Exists(copy))
            Directory.Delete(copy, recursive: true);
        return new RuntimeOutcome(name, "delete", null);
    }

    public System.Diagnostics.Process Exec(string id, string processFile, string logFile)
    {
        PutBackState(id);
        return ProcessRunner.Start(path, ["--root", root, "--log", logFile, "--log-format", "json", "exec", "--process", processFile, id], redirectInput: true);
    }

    public System.Diagnostics.Process ExecOnTerminal(string id, string processFile, string consoleSocket)
    {
        PutBackState(id);
        return ProcessRunner.Start(path, ["--root", root, "exec", "--console-socket", consoleSocket, "--process", processFile, id]);
    }

    /// <summary>The status the runtime reports ("created", "running", "paused", "stopped"), or null if it does not know the id.</summary>
    private string? Status(string id)
    {
        var result = Invoke(["state", id]);
        if (!result.Succeeded)
            return null;
        using var state = JsonDocument.Parse(result.StandardOutput);
        return state.RootElement.TryGetProperty("status", out var status) ? status.GetString() : null;
    }

    private RuntimeOutcome Run(string id, string command, IEnumerable<string> arguments)
    {
        PutBackState(id);
        var result = Invoke(arguments);
        return new RuntimeOutcome(name, command, result.Succeeded ? null : result.ErrorText);
    }

    private ProcessResult Invoke(IEnumerable<string> arguments) =>
        ProcessRunner.Run(path, ["--root", root, .. arguments], timeout: TimeSpan.FromMinutes(2));

    /// <summary>The runtime's state of the container, put back from the monitor's copy if the run root was deleted under it.</summary>
    private void PutBackState(string id) => RuntimeStateCopy.PutBack(stateCopyOf(id), root, id);
}
