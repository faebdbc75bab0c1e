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

    /// <summary>"setup &lt;id&gt;" and "teardown &lt;id&gt;", as they came.</summary>
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
