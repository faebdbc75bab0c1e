namespace Container.Runtime.Storage;

/// <summary>
/// A store's settings, in <c>config.json</c> at its root: the network mode a container gets when
/// it names none (the engine's default is bridge, as docker's), and the default bridge network's
/// address (docker's <c>bip</c>). <c>CONTAINER_NETWORK</c>, read at each call, overrides the mode.
/// </summary>
public sealed class StoreConfig
{
    public const string NetworkVariable = "CONTAINER_NETWORK";
    public const string DefaultNetworkMode = "bridge";

    /// <summary>none, host, bridge or a network's name; null is bridge.</summary>
    public string? DefaultNetwork { get; set; }

    /// <summary>The default bridge's gateway with its subnet's prefix (10.88.0.1/16); null is 10.88.0.1/16.</summary>
    public string? BridgeAddress { get; set; }

    public static StoreConfig Read(StorePaths paths) => Json.ReadFileIfExists<StoreConfig>(paths.ConfigFile) ?? new StoreConfig();

    public void Write(StorePaths paths)
    {
        Directory.CreateDirectory(paths.Root);
        Json.WriteFile(paths.ConfigFile, this);
    }

    /// <summary>The mode of a container that names none: CONTAINER_NETWORK, else the store's, else bridge.</summary>
    public static string NetworkModeOf(StorePaths paths) => Read(paths).NetworkMode(Environment.GetEnvironmentVariable(NetworkVariable));

    /// <summary>The mode this config gives a container that names none, unless variable (CONTAINER_NETWORK's value) says another.</summary>
    public string NetworkMode(string? variable) => !string.IsNullOrEmpty(variable) ? variable : DefaultNetwork ?? DefaultNetworkMode;
}
