using System.Text.Json;
using System.Text.Json.Serialization;
using Container.Runtime.Containers;
using Container.Runtime.Images;
using Container.Runtime.Oci;

namespace Container.Runtime;

/// <summary>
/// The one JSON setup: camelCase, nulls left out, generated at build time (no
/// reflection cost on the first cmdlet call).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(RuntimeSpec))]
[JsonSerializable(typeof(ResourcesSpec))]
[JsonSerializable(typeof(ProcessSpec))]
[JsonSerializable(typeof(ContainerRecord))]
[JsonSerializable(typeof(RunRecord))]
[JsonSerializable(typeof(ExitRecord))]
[JsonSerializable(typeof(HealthRecord))]
[JsonSerializable(typeof(ImageIndex))]
[JsonSerializable(typeof(ImageManifest))]
[JsonSerializable(typeof(ImageConfig))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class JsonContext : JsonSerializerContext;

public static class Json
{
    public static byte[] Serialize<T>(T value) =>
        JsonSerializer.SerializeToUtf8Bytes(value, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)JsonContext.Default.GetTypeInfo(typeof(T))!);

    public static T Deserialize<T>(ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Deserialize(utf8, (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)JsonContext.Default.GetTypeInfo(typeof(T))!)
        ?? throw new JsonException($"null {typeof(T).Name}");

    /// <summary>Reads a state file; a file that is not what it should be is reported as corrupt, not as a crash.</summary>
    public static T ReadFile<T>(string path) where T : class =>
        ReadFileIfExists<T>(path) ?? throw new FileNotFoundException($"Could not find file '{path}'.", path);

    /// <summary>Same, but a file that does not exist is null.</summary>
    public static T? ReadFileIfExists<T>(string path) where T : class
    {
        if (Linux.SmallFile.ReadBytes(path) is not { } bytes)
            return null;
        try
        {
            return Deserialize<T>(bytes);
        }
        catch (JsonException e)
        {
            throw Errors.Errors.StoreCorrupt(path, e.Message, e);
        }
    }

    public static void WriteFile<T>(string path, T value) => Storage.AtomicFile.WriteAllBytes(path, Serialize(value));
}
