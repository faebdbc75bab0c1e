using System.Text.Json;
using System.Text.Json.Serialization;
using static Container.Runtime.JsonFields;

namespace Container.Runtime.Storage;

/// <summary>
/// A store's settings, in <c>config.json</c> at its root: the network mode a container gets when
/// it names none (the engine's default is bridge, as docker's), and the default bridge network's
/// address (docker's <c>bip</c>). <c>CONTAINER_NETWORK</c>, read at each call, overrides the mode.
/// </summary>
[JsonConverter(typeof(StoreConfigConverter))]
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

/// <summary>
/// config.json, read by hand as every document of a new session's first container is (JsonFields):
/// read through metadata, it alone JIT-compiled System.Text.Json's property cache (generic code
/// over a struct of its own) at each new session's first container.
/// </summary>
internal sealed class StoreConfigConverter : JsonConverter<StoreConfig>
{
    public override StoreConfig Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        StartObject(ref reader);
        var config = new StoreConfig();
        while (NextProperty(ref reader) is { } name)
            switch (name)
            {
                case "defaultNetwork": config.DefaultNetwork = NullableString(ref reader); break;
                case "bridgeAddress": config.BridgeAddress = NullableString(ref reader); break;
                default: reader.Skip(); break;
            }
        return config;
    }

    public override void Write(Utf8JsonWriter writer, StoreConfig config, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        WriteNullableString(writer, "defaultNetwork", config.DefaultNetwork);
        WriteNullableString(writer, "bridgeAddress", config.BridgeAddress);
        writer.WriteEndObject();
    }
}
