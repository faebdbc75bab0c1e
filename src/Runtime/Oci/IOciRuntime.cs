namespace Container.Runtime.Oci;

/// <summary>
/// An OCI runtime (ours, crun or runc) bound to the root it keeps its state in: the commands
/// the engine gives it of a container. Its monitor runs create and start (the native core).
/// Every command acts on the container whatever became of the runtime's files: its state is
/// put back first from the monitor's copy (RuntimeStateCopy) if the run root was deleted.
/// </summary>
internal interface IOciRuntime
{
    /// <summary>As the user named it (container-runtime, crun, runc, or the file name of a path).</summary>
    string Name { get; }

    /// <summary>The binary.</summary>
    string Path { get; }

    /// <summary>Its --root: where it keeps the state of each container, in root/id.</summary>
    string Root { get; }

    RuntimeOutcome Kill(string id, string signal, bool all);

    RuntimeOutcome Pause(string id);

    RuntimeOutcome Resume(string id);

    /// <summary>New limits for the running container, from a linux.resources JSON file.</summary>
    RuntimeOutcome Update(string id, string resourcesFile);

    /// <summary>
    /// Forgets the container, killed first if need be (delete --force): its cgroups, its state,
    /// and the monitor's copy of that state. An id the runtime does not know is fine.
    /// </summary>
    RuntimeOutcome Delete(string id);

    /// <summary>Starts the process processFile describes in the container, on pipes (its stdin redirected); the runtime logs to logFile as JSON.</summary>
    System.Diagnostics.Process Exec(string id, string processFile, string logFile);

    /// <summary>Starts the process processFile describes in the container on a pseudo-terminal, whose master the runtime sends to consoleSocket.</summary>
    System.Diagnostics.Process ExecOnTerminal(string id, string processFile, string consoleSocket);
}

/// <summary>The OCI runtimes a container may name, each bound to its own root under the store's run root.</summary>
internal interface IOciRuntimes
{
    /// <summary>"container-runtime" (or null: ours), "crun", "runc" (found on PATH) or an absolute path; NotInstalled when there is none.</summary>
    IOciRuntime Resolve(string? name);
}
