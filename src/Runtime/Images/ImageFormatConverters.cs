using System.Text.Json;
using System.Text.Json.Serialization;
using static Container.Runtime.JsonFields;

namespace Container.Runtime.Images;

// The image format's documents (the store's index.json, manifests, image configs) and their
// parts, read and written by hand (JsonFields says why): each type's converter is the one way
// it is read and written, wherever it is (a registry's lists, an archive's index). What a peer
// writes and we do not know (a config's Hostname, a descriptor's urls) is skipped, as the
// generated metadata skipped it. A digest is of these bytes: they are what the metadata wrote.

internal sealed class ImageIndexConverter : JsonConverter<ImageIndex>
{
    public override ImageIndex Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        StartObject(ref reader);
        var index = new ImageIndex();
        while (NextProperty(ref reader) is { } name)
            switch (name)
            {
                case "schemaVersion": index.SchemaVersion = Int32(ref reader); break;
                case "mediaType": index.MediaType = NullableString(ref reader); break;
                case "manifests": index.Manifests = ReadList(ref reader, DescriptorConverter.ReadValue)!; break;
                default: reader.Skip(); break;
            }
        return index;
    }

    public override void Write(Utf8JsonWriter writer, ImageIndex index, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteNumber("schemaVersion", index.SchemaVersion);
        WriteNullableString(writer, "mediaType", index.MediaType);
        WriteList(writer, "manifests", index.Manifests, DescriptorConverter.WriteValue);
        writer.WriteEndObject();
    }
}

internal sealed class ImageManifestConverter : JsonConverter<ImageManifest>
{
    public override ImageManifest Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        StartObject(ref reader);
        var manifest = new ImageManifest();
        while (NextProperty(ref reader) is { } name)
            switch (name)
            {
                case "schemaVersion": manifest.SchemaVersion = Int32(ref reader); break;
                case "mediaType": manifest.MediaType = NullableString(ref reader); break;
                case "config": manifest.Config = reader.TokenType == JsonTokenType.Null ? null! : DescriptorConverter.ReadValue(ref reader); break;
                case "layers": manifest.Layers = ReadList(ref reader, DescriptorConverter.ReadValue)!; break;
                case "annotations": manifest.Annotations = StringMap(ref reader); break;
                default: reader.Skip(); break;
            }
        return manifest;
    }

    public override void Write(Utf8JsonWriter writer, ImageManifest manifest, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteNumber("schemaVersion", manifest.SchemaVersion);
        WriteNullableString(writer, "mediaType", manifest.MediaType);
        WritePart(writer, "config", manifest.Config, DescriptorConverter.WriteValue);
        WriteList(writer, "layers", manifest.Layers, DescriptorConverter.WriteValue);
        WriteStringMap(writer, "annotations", manifest.Annotations);
        writer.WriteEndObject();
    }
}

internal sealed class DescriptorConverter : JsonConverter<Descriptor>
{
    public override Descriptor Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadValue(ref reader);

    public override void Write(Utf8JsonWriter writer, Descriptor value, JsonSerializerOptions options) => WriteValue(writer, value);

    public static Descriptor ReadValue(ref Utf8JsonReader reader)
    {
        StartObject(ref reader);
        var descriptor = new Descriptor();
        while (NextProperty(ref reader) is { } name)
            switch (name)
            {
                case "mediaType": descriptor.MediaType = String(ref reader); break;
                case "digest": descriptor.Digest = String(ref reader); break;
                case "size": descriptor.Size = Int64(ref reader); break;
                case "annotations": descriptor.Annotations = StringMap(ref reader); break;
                case "platform": descriptor.Platform = ReadPartOrNull(ref reader, PlatformSpecConverter.ReadValue); break;
                default: reader.Skip(); break;
            }
        return descriptor;
    }

    public static void WriteValue(Utf8JsonWriter writer, Descriptor descriptor)
    {
        writer.WriteStartObject();
        WriteNullableString(writer, "mediaType", descriptor.MediaType);
        WriteNullableString(writer, "digest", descriptor.Digest);
        writer.WriteNumber("size", descriptor.Size);
        WriteStringMap(writer, "annotations", descriptor.Annotations);
        WritePart(writer, "platform", descriptor.Platform, PlatformSpecConverter.WriteValue);
        writer.WriteEndObject();
    }
}

internal sealed class PlatformSpecConverter : JsonConverter<PlatformSpec>
{
    public override PlatformSpec Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadValue(ref reader);

    public override void Write(Utf8JsonWriter writer, PlatformSpec value, JsonSerializerOptions options) => WriteValue(writer, value);

    public static PlatformSpec ReadValue(ref Utf8JsonReader reader)
    {
        StartObject(ref reader);
        var platform = new PlatformSpec();
        while (NextProperty(ref reader) is { } name)
            switch (name)
            {
                case "architecture": platform.Architecture = String(ref reader); break;
                case "os": platform.Os = String(ref reader); break;
                case "variant": platform.Variant = NullableString(ref reader); break;
                default: reader.Skip(); break;
            }
        return platform;
    }

    public static void WriteValue(Utf8JsonWriter writer, PlatformSpec platform)
    {
        writer.WriteStartObject();
        WriteNullableString(writer, "architecture", platform.Architecture);
        WriteNullableString(writer, "os", platform.Os);
        WriteNullableString(writer, "variant", platform.Variant);
        writer.WriteEndObject();
    }
}

/// <summary>An image config; its Config keeps Docker's field names, its rootfs and history the spec's.</summary>
internal sealed class ImageConfigConverter : JsonConverter<ImageConfig>
{
    public override ImageConfig Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        StartObject(ref reader);
        var config = new ImageConfig();
        while (NextProperty(ref reader) is { } name)
            switch (name)
            {
                case "created": config.Created = NullableTime(ref reader); break;
                case "author": config.Author = NullableString(ref reader); break;
                case "architecture": config.Architecture = String(ref reader); break;
                case "os": config.Os = String(ref reader); break;
                case "config": config.Config = ReadPartOrNull(ref reader, ContainerConfigConverter.ReadValue); break;
                case "rootfs": config.RootFs = reader.TokenType == JsonTokenType.Null ? null! : ReadRootFs(ref reader); break;
                case "history": config.History = ReadList(ref reader, ReadHistoryEntry); break;
                default: reader.Skip(); break;
            }
        return config;
    }

    public override void Write(Utf8JsonWriter writer, ImageConfig config, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        if (config.Created is { } created)
            WriteTime(writer, "created", created);
        WriteNullableString(writer, "author", config.Author);
        WriteNullableString(writer, "architecture", config.Architecture);
        WriteNullableString(writer, "os", config.Os);
        WritePart(writer, "config", config.Config, ContainerConfigConverter.WriteValue);
        if (config.RootFs is { } rootFs)
        {
            writer.WriteStartObject("rootfs");
            WriteNullableString(writer, "type", rootFs.Type);
            WriteStrings(writer, "diff_ids", rootFs.DiffIds);
            writer.WriteEndObject();
        }
        WriteList(writer, "history", config.History, WriteHistoryEntry);
        writer.WriteEndObject();
    }

    private static RootFsConfig ReadRootFs(ref Utf8JsonReader reader)
    {
        StartObject(ref reader);
        var rootFs = new RootFsConfig();
        while (NextProperty(ref reader) is { } name)
            switch (name)
            {
                case "type": rootFs.Type = String(ref reader); break;
                case "diff_ids": rootFs.DiffIds = Strings(ref reader)!; break;
                default: reader.Skip(); break;
            }
        return rootFs;
    }

    private static HistoryEntry ReadHistoryEntry(ref Utf8JsonReader reader)
    {
        StartObject(ref reader);
        var entry = new HistoryEntry();
        while (NextProperty(ref reader) is { } name)
            switch (name)
            {
                case "created": entry.Created = NullableTime(ref reader); break;
                case "created_by": entry.CreatedBy = NullableString(ref reader); break;
                case "comment": entry.Comment = NullableString(ref reader); break;
                case "empty_layer": entry.EmptyLayer = reader.TokenType == JsonTokenType.Null ? null : Boolean(ref reader); break;
                default: reader.Skip(); break;
            }
        return entry;
    }

    private static void WriteHistoryEntry(Utf8JsonWriter writer, HistoryEntry entry)
    {
        writer.WriteStartObject();
        if (entry.Created is { } created)
            WriteTime(writer, "created", created);
        WriteNullableString(writer, "created_by", entry.CreatedBy);
        WriteNullableString(writer, "comment", entry.Comment);
        if (entry.EmptyLayer is { } empty)
            writer.WriteBoolean("empty_layer", empty);
        writer.WriteEndObject();
    }
}

/// <summary>The defaults a container takes from its image, under Docker's names.</summary>
internal sealed class ContainerConfigConverter : JsonConverter<ContainerConfig>
{
    public override ContainerConfig Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadValue(ref reader);

    public override void Write(Utf8JsonWriter writer, ContainerConfig value, JsonSerializerOptions options) => WriteValue(writer, value);

    public static ContainerConfig ReadValue(ref Utf8JsonReader reader)
    {
        StartObject(ref reader);
        var config = new ContainerConfig();
        while (NextProperty(ref reader) is { } name)
            switch (name)
            {
                case "User": config.User = NullableString(ref reader); break;
                case "ExposedPorts": config.ExposedPorts = ObjectMap(ref reader); break;
                case "Env": config.Env = Strings(ref reader); break;
                case "Entrypoint": config.Entrypoint = Strings(ref reader); break;
                case "Cmd": config.Cmd = Strings(ref reader); break;
                case "Volumes": config.Volumes = ObjectMap(ref reader); break;
                case "WorkingDir": config.WorkingDir = NullableString(ref reader); break;
                case "Labels": config.Labels = StringMap(ref reader); break;
                case "StopSignal": config.StopSignal = NullableString(ref reader); break;
                case "Healthcheck": config.Healthcheck = reader.TokenType == JsonTokenType.Null ? null : ReadHealthcheck(ref reader); break;
                case "Shell": config.Shell = Strings(ref reader); break;
                case "OnBuild": config.OnBuild = Strings(ref reader); break;
                default: reader.Skip(); break;
            }
        return config;
    }

    public static void WriteValue(Utf8JsonWriter writer, ContainerConfig config)
    {
        writer.WriteStartObject();
        WriteNullableString(writer, "User", config.User);
        WriteObjectMap(writer, "ExposedPorts", config.ExposedPorts);
        WriteStrings(writer, "Env", config.Env);
        WriteStrings(writer, "Entrypoint", config.Entrypoint);
        WriteStrings(writer, "Cmd", config.Cmd);
        WriteObjectMap(writer, "Volumes", config.Volumes);
        WriteNullableString(writer, "WorkingDir", config.WorkingDir);
        WriteStringMap(writer, "Labels", config.Labels);
        WriteNullableString(writer, "StopSignal", config.StopSignal);
        if (config.Healthcheck is { } healthcheck)
        {
            writer.WriteStartObject("Healthcheck");
            WriteStrings(writer, "Test", healthcheck.Test);
            WriteNullableNumber(writer, "Interval", healthcheck.Interval);
            WriteNullableNumber(writer, "Timeout", healthcheck.Timeout);
            WriteNullableNumber(writer, "StartPeriod", healthcheck.StartPeriod);
            WriteNullableNumber(writer, "Retries", healthcheck.Retries);
            writer.WriteEndObject();
        }
        WriteStrings(writer, "Shell", config.Shell);
        WriteStrings(writer, "OnBuild", config.OnBuild);
        writer.WriteEndObject();
    }

    private static HealthcheckConfig ReadHealthcheck(ref Utf8JsonReader reader)
    {
        StartObject(ref reader);
        var healthcheck = new HealthcheckConfig();
        while (NextProperty(ref reader) is { } name)
            switch (name)
            {
                case "Test": healthcheck.Test = Strings(ref reader); break;
                case "Interval": healthcheck.Interval = NullableInt64(ref reader); break;
                case "Timeout": healthcheck.Timeout = NullableInt64(ref reader); break;
                case "StartPeriod": healthcheck.StartPeriod = NullableInt64(ref reader); break;
                case "Retries": healthcheck.Retries = NullableInt32(ref reader); break;
                default: reader.Skip(); break;
            }
        return healthcheck;
    }

    /// <summary>ExposedPorts and Volumes: names to values that are {} as docker writes them; any other value is kept as it was read.</summary>
    private static Dictionary<string, object>? ObjectMap(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
            return null;
        StartObject(ref reader);
        var map = new Dictionary<string, object>();
        while (NextProperty(ref reader) is { } key)
            map[key] = JsonElement.ParseValue(ref reader);
        return map;
    }

    /// <summary>
    /// What ObjectMap read, written again as it was; a value made in code as the metadata wrote it:
    /// a map as an object (a build's EXPOSE puts an empty one in: {}), a bare object as {}.
    /// </summary>
    private static void WriteObjectMap(Utf8JsonWriter writer, string name, Dictionary<string, object>? map)
    {
        if (map == null)
            return;
        writer.WritePropertyName(name);
        WriteValue(writer, (object)map);
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case JsonElement element: element.WriteTo(writer); break;
            case string text: writer.WriteStringValue(text); break;
            case bool flag: writer.WriteBooleanValue(flag); break;
            case int number: writer.WriteNumberValue(number); break;
            case long number: writer.WriteNumberValue(number); break;
            case double number: writer.WriteNumberValue(number); break;
            case System.Collections.IDictionary entries:
                writer.WriteStartObject();
                foreach (System.Collections.DictionaryEntry entry in entries)
                {
                    writer.WritePropertyName(entry.Key.ToString()!);
                    WriteValue(writer, entry.Value);
                }
                writer.WriteEndObject();
                break;
            case System.Collections.IEnumerable items:
                writer.WriteStartArray();
                foreach (var item in items)
                    WriteValue(writer, item);
                writer.WriteEndArray();
                break;
            case var bare when bare.GetType() == typeof(object):
                writer.WriteStartObject();
                writer.WriteEndObject();
                break;
            default:
                throw new JsonException($"a {value.GetType().Name} in an image config's map: give {{}}");
        }
    }
}
