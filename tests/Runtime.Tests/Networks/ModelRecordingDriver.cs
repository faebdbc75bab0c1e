using Container.Runtime.Networks;

namespace Container.Tests.Networks;

/// <summary>A network driver that does nothing but remember: what is set up now, and every call in order.</summary>
internal sealed class ModelRecordingDriver : INetworkDriver
{
    private readonly Dictionary<string, NetworkSetup> setUp = [];
    private readonly List<string> calls = [];

    /// <summary>What the next setup throws instead of setting up (as the real one, it leaves nothing).</summary>
    public Exception? NextSetupFails { get; set; }

    public IReadOnlyCollection<NetworkSetup> SetUp
    {
        get
        {
            lock (setUp)
                return [.. setUp.Values];
        }
    }

    /// <summary>"setup &lt;id&gt;", "teardown &lt;id&gt;", "attach &lt;id&gt; &lt;network&gt;", "detach &lt;id&gt; &lt;network&gt;", as they came.</summary>
    public IReadOnlyList<string> Calls
    {
        get
        {
            lock (setUp)
                return [.. calls];
        }
    }

    public void Setup(NetworkSetup setup)
    {
        lock (setUp)
        {
            calls.Add($"setup {setup.ContainerId}");
            if (NextSetupFails is { } fails)
            {
                NextSetupFails = null;
                throw fails;
            }
            if (!setUp.TryAdd(setup.ContainerId, setup))
                throw new InvalidOperationException($"{setup.ContainerId} is set up already");
        }
    }

    /// <summary>What the next attach throws instead of attaching (as the real one, it leaves nothing).</summary>
    public Exception? NextAttachFails { get; set; }

    public void Attach(NetworkSetup setup, NetworkAttachment attachment)
    {
        lock (setUp)
        {
            calls.Add($"attach {setup.ContainerId} {attachment.Network}");
            if (NextAttachFails is { } fails)
            {
                NextAttachFails = null;
                throw fails;
            }
            if (!setUp.ContainsKey(setup.ContainerId) || !Holds(setup, attachment))
                throw new InvalidOperationException($"{setup.ContainerId} is not set up, or its setup lacks {attachment.Network}");
            setUp[setup.ContainerId] = setup;
        }
    }

    public void Detach(NetworkSetup setup, NetworkAttachment attachment)
    {
        lock (setUp)
        {
            calls.Add($"detach {setup.ContainerId} {attachment.Network}");
            if (!setUp.TryGetValue(setup.ContainerId, out var current) || !Holds(current, attachment) || Holds(setup, attachment))
                throw new InvalidOperationException($"{setup.ContainerId} has no {attachment.Network} to detach");
            setUp[setup.ContainerId] = setup;
        }
    }

    /// <summary>
    /// Whether the setup has the attachment, by its host veth (unique to it): a setup read back
    /// from its file is equal in all but its lists, which a record compares by reference.
    /// </summary>
    private static bool Holds(NetworkSetup setup, NetworkAttachment attachment) =>
        setup.Attachments.Any(a => a.HostInterface == attachment.HostInterface);

    public void Teardown(NetworkSetup setup)
    {
        lock (setUp)
        {
            calls.Add($"teardown {setup.ContainerId}");
            setUp.Remove(setup.ContainerId);
        }
    }

    /// <summary>"repair &lt;id&gt;" recorded; true while the setup is set up.</summary>
    public bool Repair(NetworkSetup setup)
    {
        lock (setUp)
        {
            calls.Add($"repair {setup.ContainerId}");
            return setUp.ContainsKey(setup.ContainerId);
        }
    }

    /// <summary>What Test-ContainerPort is to read and probe of a setup: none unless a test gives it.</summary>
    public Func<NetworkSetup, IPortFacts>? FactsOf { get; set; }

    public IPortFacts Facts(NetworkSetup setup, int containerPid) =>
        FactsOf?.Invoke(setup) ?? throw new InvalidOperationException("the test gave no port facts");
}
