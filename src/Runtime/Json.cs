using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Container.Runtime.Containers;
using Container.Runtime.Images;
using Container.Runtime.Images.Formats;
using Container.Runtime.Oci;

namespace Container.Runtime;

/// <summary>
/// The one JSON setup: camelCase, nulls left out, times as RFC 3339 in UTC, generated at
/// build time (no reflection cost on the first cmdlet call).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    Converters = [typeof(Rfc3339TimeConverter)])]
[JsonSerializable(typeof(RuntimeSpec))]
[JsonSerializable(typeof(ResourcesSpec))]
[JsonSerializable(typeof(ProcessSpec))]
[JsonSerializable(typeof(ContainerRecord))]
[JsonSerializable(typeof(RunRecord))]
[JsonSerializable(typeof(ExitRecord))]
[JsonSerializable(typeof(HealthRecord))]
[JsonSerializable(typeof(Networks.ContainerNetwork))]
[JsonSerializable(typeof(Volumes.ContainerVolume))]
[JsonSerializable(typeof(Networks.NetworkLeases))]
[JsonSerializable(typeof(Networks.NetworkSetup))]
[JsonSerializable(typeof(Networks.NetworkRequest))]
[JsonSerializable(typeof(Storage.StoreConfig))]
[JsonSerializable(typeof(ImageIndex))]
[JsonSerializable(typeof(ImageManifest))]
[JsonSerializable(typeof(ImageConfig))]
[JsonSerializable(typeof(ContainerConfig))]
[JsonSerializable(typeof(BuildCacheEntry))]
[JsonSerializable(typeof(List<DockerArchiveImage>))]
[JsonSerializable(typeof(Dictionary<string, Dictionary<string, string>>))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(Compose.ComposeService))]
internal sealed partial class JsonContext : JsonSerializerContext;

/// <summary>
/// The same setup's writers of the documents an OCI runtime reads, generated as code that
/// writes each property straight (Json.Serialize runs it on a writer of the one setup's
/// escaping). Writing the spec through JsonContext's metadata first builds that metadata,
/// which JIT-compiles System.Text.Json's generic code for each value type the spec holds: a
/// new session's first container waited for that. Reading them still takes JsonContext.
/// </summary>
[JsonSourceGenerationOptions(
    GenerationMode = JsonSourceGenerationMode.Serialization,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(RuntimeSpec))]
[JsonSerializable(typeof(ResourcesSpec))]
[JsonSerializable(typeof(ProcessSpec))]
internal sealed partial class OciDocumentWriters : JsonSerializerContext;

/// <summary>Times as Go writes and parses them (RFC 3339, what time.Time takes): JsonFields.Time.</summary>
internal sealed class Rfc3339TimeConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => JsonFields.Time(ref reader);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) => JsonFields.WriteTimeValue(writer, value);
}

public static class Json
{
    /// <summary>
    /// Escaping only what JSON needs: Go's time.Time parses its string's raw bytes, so a '+'
    /// written as \u002B (the default, for HTML) is a time no Go tool can read.
    /// </summary>
    private static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    private static readonly JsonContext Context = new(new JsonSerializerOptions(JsonContext.Default.Options) { Encoder = Encoder });

    public static byte[] Serialize<T>(T value)
    {
        if (OciDocument<T>.Write is not { } write)
            return JsonSerializer.SerializeToUtf8Bytes(value, TypeInfo<T>());
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Encoder }))
            write(writer, value);
        return buffer.WrittenSpan.ToArray();
    }

    public static string SerializeToString<T>(T value) => System.Text.Encoding.UTF8.GetString(Serialize(value));

    public static T Deserialize<T>(ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Deserialize(utf8, TypeInfo<T>()) ?? throw new JsonException($"null {typeof(T).Name}");

    public static T Deserialize<T>(Stream utf8) =>
        JsonSerializer.Deserialize(utf8, TypeInfo<T>()) ?? throw new JsonException($"null {typeof(T).Name}");

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

    /// <param name="durable">Flushed to disk before it takes the path (false: a record of one run, as AtomicFile says).</param>
    public static void WriteFile<T>(string path, T value, bool durable = true) => Storage.AtomicFile.WriteAllBytes(path, Serialize(value), durable: durable);

    private static JsonTypeInfo<T> TypeInfo<T>() => (JsonTypeInfo<T>)Context.GetTypeInfo(typeof(T))!;

    /// <summary>OciDocumentWriters' writer of T, if T is one of its documents.</summary>
    private static class OciDocument<T>
    {
        public static readonly Action<Utf8JsonWriter, T>? Write =
            typeof(T) == typeof(RuntimeSpec) || typeof(T) == typeof(ResourcesSpec) || typeof(T) == typeof(ProcessSpec)
                ? ((JsonTypeInfo<T>)OciDocumentWriters.Default.GetTypeInfo(typeof(T))!).SerializeHandler
                : null;
    }
}
