using System.Globalization;
using System.Text.Json;

namespace Container.Runtime;

/// <summary>
/// The pieces of the hand-written converters of the documents a new session's first container
/// reads and writes (the store's config, the image index, manifest and config, the container's
/// record, its run and exit records): each property read and written straight on Utf8JsonReader
/// and Utf8JsonWriter, whose code System.Text.Json's ReadyToRun image holds. Metadata generated
/// for those documents instead JIT-compiled System.Text.Json's generic code for each value type
/// they hold (int, long, bool, DateTimeOffset, TimeSpan, their nullables: some 650 methods) as the
/// first container read and wrote them. What they write is what that metadata wrote, byte for
/// byte: the one setup's names, nulls left out, times as RFC 3339 in UTC, durations as
/// TimeSpan's constant ("c") format; the reader the serializer hands them skips comments and
/// takes trailing commas, as the one setup says.
/// </summary>
internal static class JsonFields
{
    private const string TimeFormat = "yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFF'Z'";

    /// <summary>At an object's start (the reader on it), or a JsonException.</summary>
    public static void StartObject(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
            throw new JsonException($"expected an object, found {reader.TokenType}");
    }

    /// <summary>The next property's name, the reader moved on to its value; null at the object's end.</summary>
    public static string? NextProperty(ref Utf8JsonReader reader)
    {
        if (!reader.Read() || reader.TokenType == JsonTokenType.EndObject)
            return null;
        var name = reader.GetString();
        reader.Read();
        return name;
    }

    public static string String(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw Unexpected(ref reader, "a string");

    public static string? NullableString(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Null ? null : String(ref reader);

    public static bool Boolean(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        _ => throw Unexpected(ref reader, "true or false"),
    };

    public static int Int32(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Number ? reader.GetInt32() : throw Unexpected(ref reader, "a number");

    public static int? NullableInt32(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Null ? null : Int32(ref reader);

    public static uint UInt32(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Number ? reader.GetUInt32() : throw Unexpected(ref reader, "a number");

    public static long? NullableInt64(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Null ? null : Int64(ref reader);

    /// <summary>Writes the property unless the number is null (the one setup leaves nulls out).</summary>
    public static void WriteNullableNumber(Utf8JsonWriter writer, string name, long? value)
    {
        if (value is { } number)
            writer.WriteNumber(name, number);
    }

    public static long Int64(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Number ? reader.GetInt64() : throw Unexpected(ref reader, "a number");

    public static ulong UInt64(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Number ? reader.GetUInt64() : throw Unexpected(ref reader, "a number");

    /// <summary>
    /// Times as Go writes and parses them (RFC 3339, what time.Time takes); any offset is read,
    /// as peers write them (RFC 3339 also allows a lower-case 't' and 'z').
    /// </summary>
    public static DateTimeOffset Time(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out var value))
            return value;
        if (reader.TokenType == JsonTokenType.String
            && DateTimeOffset.TryParse(reader.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out value))
            return value;
        throw new JsonException($"'{(reader.TokenType == JsonTokenType.String ? reader.GetString() : reader.TokenType)}' is not an RFC 3339 time.");
    }

    public static DateTimeOffset? NullableTime(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Null ? null : Time(ref reader);

    /// <summary>Always UTC, with a 'Z', the fraction without trailing zeros (what Go writes).</summary>
    public static void WriteTime(Utf8JsonWriter writer, string name, DateTimeOffset value) =>
        writer.WriteString(name, TimeText(value));

    public static void WriteTimeValue(Utf8JsonWriter writer, DateTimeOffset value) =>
        writer.WriteStringValue(TimeText(value));

    private static string TimeText(DateTimeOffset value) => value.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    /// <summary>A duration as System.Text.Json writes a TimeSpan: "00:00:30", "1.02:03:04.5000000".</summary>
    public static TimeSpan Duration(ref Utf8JsonReader reader) =>
        TimeSpan.TryParseExact(String(ref reader), "c", CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new JsonException($"'{reader.GetString()}' is not a duration (hh:mm:ss).");

    public static TimeSpan? NullableDuration(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Null ? null : Duration(ref reader);

    public static void WriteDuration(Utf8JsonWriter writer, string name, TimeSpan value) =>
        writer.WriteString(name, value.ToString("c", CultureInfo.InvariantCulture));

    /// <summary>A list of strings; null (the JSON null) for a list that may be missing.</summary>
    public static List<string>? Strings(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
            return null;
        if (reader.TokenType != JsonTokenType.StartArray)
            throw Unexpected(ref reader, "an array of strings");
        var list = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            list.Add(String(ref reader));
        return list;
    }

    public static Dictionary<string, string>? StringMap(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
            return null;
        StartObject(ref reader);
        var map = new Dictionary<string, string>();
        while (NextProperty(ref reader) is { } key)
            map[key] = String(ref reader);
        return map;
    }

    /// <summary>Writes the property unless the list is null (the one setup leaves nulls out).</summary>
    public static void WriteStrings(Utf8JsonWriter writer, string name, IReadOnlyList<string>? values)
    {
        if (values == null)
            return;
        writer.WriteStartArray(name);
        foreach (var value in values)
            writer.WriteStringValue(value);
        writer.WriteEndArray();
    }

    public static void WriteStringMap(Utf8JsonWriter writer, string name, IReadOnlyDictionary<string, string>? map)
    {
        if (map == null)
            return;
        writer.WriteStartObject(name);
        foreach (var (key, value) in map)
            writer.WriteString(key, value);
        writer.WriteEndObject();
    }

    public static void WriteNullableString(Utf8JsonWriter writer, string name, string? value)
    {
        if (value != null)
            writer.WriteString(name, value);
    }

    /// <summary>A part of a document, read by read; null for the JSON null.</summary>
    public static T? ReadPartOrNull<T>(ref Utf8JsonReader reader, ReadPart<T> read) where T : class =>
        reader.TokenType == JsonTokenType.Null ? null : read(ref reader);

    /// <summary>Writes the part under name, by write, unless it is null (the one setup leaves nulls out).</summary>
    public static void WritePart<T>(Utf8JsonWriter writer, string name, T? value, Action<Utf8JsonWriter, T> write) where T : class
    {
        if (value == null)
            return;
        writer.WritePropertyName(name);
        write(writer, value);
    }

    /// <summary>A list of a document's parts, each read by read; null for the JSON null.</summary>
    public static List<T>? ReadList<T>(ref Utf8JsonReader reader, ReadPart<T> read) where T : class
    {
        if (reader.TokenType == JsonTokenType.Null)
            return null;
        if (reader.TokenType != JsonTokenType.StartArray)
            throw Unexpected(ref reader, "an array");
        var list = new List<T>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            list.Add(read(ref reader));
        return list;
    }

    public static void WriteList<T>(Utf8JsonWriter writer, string name, IReadOnlyList<T>? values, Action<Utf8JsonWriter, T> write) where T : class
    {
        if (values == null)
            return;
        writer.WriteStartArray(name);
        foreach (var value in values)
            write(writer, value);
        writer.WriteEndArray();
    }

    public delegate T ReadPart<out T>(ref Utf8JsonReader reader);

    public static JsonException Missing(string document, string property) => new($"{document} without \"{property}\"");

    private static JsonException Unexpected(ref Utf8JsonReader reader, string expected) =>
        new($"expected {expected}, found {reader.TokenType}");
}
