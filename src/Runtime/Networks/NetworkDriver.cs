using Container.Runtime.Storage;

namespace Container.Runtime.Networks;

/// <summary>This host's network driver. (Being written: net-kernel fills it in.)</summary>
internal sealed class NetworkDriver(StorePaths paths) : INetworkDriver
{
    public void Setup(NetworkSetup setup) => throw new NotImplementedException($"bridge networking under {paths.RunRoot}");

    public void Teardown(NetworkSetup setup)
    {
    }
}
