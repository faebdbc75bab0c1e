using Container.Runtime.Processes;

namespace Container.Runtime.Networks;

/// <summary>
/// This host's network driver: the native helper container-network (netlink and nftables, in
/// process), run once for a setup and once for a teardown. It works in the network namespace of
/// the process, or in the one <see cref="HostNamespaceVariable"/> names (a test's netns that
/// plays the host), which the helper enters first; so does the container's monitor, which holds
/// the published ports while the container runs and tears the network down at its end.
/// </summary>
internal sealed class NetworkDriver(string? hostNamespace = null) : INetworkDriver
{
    /// <summary>The network namespace (a path, as /run/netns/name) to do the host's side in; read at each call.</summary>
    public const string HostNamespaceVariable = "CONTAINER_HOST_NETNS";

    /// <summary>The helper's exit status when a published host port is held by something else.</summary>
    private const int PortInUseExit = 3;

    /// <summary>What the helper's repair prints when the container's namespace is gone.</summary>
    private const string GoneAnswer = "gone";

    private string? HostNamespace =>
        hostNamespace ?? (Environment.GetEnvironmentVariable(HostNamespaceVariable) is { Length: > 0 } path ? path : null);

    /// <summary>
    /// The helper's request for the setup, next to its namespace: written at setup, read by the
    /// monitor (its ports, its teardown), removed by the teardown.
    /// </summary>
    public static string RequestFile(NetworkSetup setup) => setup.NamespacePath + ".json";

    /// <summary>The request file as the setup (and the host's namespace) say it: in the run root, a record of one run, not flushed to disk (as AtomicFile says).</summary>
    private void WriteRequest(NetworkSetup setup) => Json.WriteFile(RequestFile(setup), new NetworkRequest(setup, HostNamespace), durable: false);

    public void Setup(NetworkSetup setup)
    {
        var request = RequestFile(setup);
        // what a run whose monitor was killed left, by the setup it was made with
        if (File.Exists(request))
            RunTeardown(["teardown", request], null, setup);
        Directory.CreateDirectory(Path.GetDirectoryName(request)!);
        WriteRequest(setup);
        var result = RunHelper(["setup", request]);
        if (result.Succeeded)
            return;
        File.Delete(request);
        var reference = Ids.Short(setup.ContainerId);
        throw result.ExitCode == PortInUseExit
            ? Errors.Errors.PortInUse(result.StandardOutput.Trim(), reference)
            : Errors.Errors.NetworkSetupFailed(reference, HelperMessage(result));
    }

    /// <summary>
    /// Nothing to do once the monitor's teardown is done (it removes the request file last) or
    /// when no setup was made; otherwise the helper undoes what is there. A run root without its
    /// namespace directory says nothing of the kind: a reboot (or a hand) emptied it, and what
    /// the host's side may still hold (rules, a bridge) is the helper's to find. The host's veth
    /// ends go just after, in the background, holding the networks' lock (container-network says why).
    /// </summary>
    public void Teardown(NetworkSetup setup)
    {
        if (!File.Exists(RequestFile(setup)) && !File.Exists(setup.NamespacePath) && Directory.Exists(Path.GetDirectoryName(setup.NamespacePath)))
            return;
        RunTeardown(["teardown", "-"], RequestText(setup), setup);
        File.Delete(RequestFile(setup));
    }

    /// <summary>
    /// The request file says the setup with the attachment first, so that the monitor's teardown
    /// at the container's exit removes it too; then the helper attaches it alone. A failure
    /// leaves the request as it was (unless the monitor's teardown removed it meanwhile).
    /// </summary>
    public void Attach(NetworkSetup setup, NetworkAttachment attachment)
    {
        var request = RequestFile(setup);
        WriteRequest(setup);
        var result = RunFor("attach", setup, attachment);
        if (result.Succeeded)
            return;
        if (File.Exists(request))
            WriteRequest(setup with { Attachments = [.. setup.Attachments.Where(a => a != attachment)] });
        throw Errors.Errors.NetworkSetupFailed(Ids.Short(setup.ContainerId), HelperMessage(result));
    }

    /// <summary>The helper detaches it alone; then the request file says the setup without it.</summary>
    public void Detach(NetworkSetup setup, NetworkAttachment attachment)
    {
        var result = RunFor("detach", setup, attachment);
        if (!result.Succeeded)
            throw Errors.Errors.NetworkTeardownFailed(Ids.Short(setup.ContainerId), HelperMessage(result));
        if (File.Exists(RequestFile(setup)))
            WriteRequest(setup);
    }

    /// <summary>The helper's command on a request of the one attachment (and no ports: those are the setup's).</summary>
    private ProcessResult RunFor(string command, NetworkSetup setup, NetworkAttachment attachment) =>
        RunHelper([command, "-"], RequestText(setup with { Attachments = [attachment], Ports = [] }));

    public bool Repair(NetworkSetup setup)
    {
        var result = RunHelper(["repair", "-"], RequestText(setup));
        if (!result.Succeeded)
            throw Errors.Errors.NetworkRepairFailed(Ids.Short(setup.ContainerId), HelperMessage(result));
        return result.StandardOutput.Trim() != GoneAnswer;
    }

    public IPortFacts Facts(NetworkSetup setup, int containerPid) => new KernelPortFacts(HostNamespace, containerPid, () => Ruleset(setup));

    /// <summary>The host's nftables ruleset as nftables JSON, read in the host's namespace the setup was made in.</summary>
    private string Ruleset(NetworkSetup setup)
    {
        var result = RunHelper(["ruleset", "-"], RequestText(setup));
        return result.Succeeded ? result.StandardOutput : throw Errors.Errors.NetworkStateUnreadable(Ids.Short(setup.ContainerId), HelperMessage(result));
    }

    /// <summary>The request for the setup, as the helper reads it on its stdin.</summary>
    private string RequestText(NetworkSetup setup) => System.Text.Encoding.UTF8.GetString(Json.Serialize(new NetworkRequest(setup, HostNamespace)));

    private static void RunTeardown(string[] arguments, string? input, NetworkSetup setup)
    {
        var result = RunHelper(arguments, input);
        if (!result.Succeeded)
            throw Errors.Errors.NetworkTeardownFailed(Ids.Short(setup.ContainerId), HelperMessage(result));
    }

    /// <summary>The helper's run; a host without a library it needs (libnftables) is told which, and its package.</summary>
    private static ProcessResult RunHelper(string[] arguments, string? input = null)
    {
        var path = NativeBinaries.NetworkPath;
        var result = ProcessRunner.Run(path, arguments, input);
        return NativeLibraries.MissingError(path, result) is { } missing ? throw missing : result;
    }

    private static string HelperMessage(ProcessResult result) => result.ErrorText.Replace(NativeBinaries.NetworkName + ": ", "");
}

/// <summary>What the helper and the monitor read: the setup, and the host's network namespace (null: the caller's).</summary>
internal sealed record NetworkRequest(NetworkSetup Setup, string? HostNamespace);
