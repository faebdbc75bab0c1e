using System.Text;
using System.Text.Json;

namespace Container.Tests.Kubernetes;

/// <summary>
/// An OpenAPI v2 document (swagger.json) as an API server serves it to kubectl at /openapi/v2:
/// protobuf, in gnostic's OpenAPIv2 messages (kubectl reads the schema it validates with in no
/// other form). Only what kubectl's validation reads is written: the definitions, each schema's
/// $ref, type, format, description, required, properties, items, additionalProperties, allOf
/// and vendor extensions (x-kubernetes-group-version-kind, as their YAML: JSON is YAML).
/// </summary>
internal static class OpenApiV2Protobuf
{
    public static byte[] Encode(JsonElement swagger)
    {
        var document = new Message();
        document.String(1, swagger.GetProperty("swagger").GetString()!);
        if (swagger.TryGetProperty("info", out var info))
        {
            var infoMessage = new Message();
            infoMessage.String(1, info.GetProperty("title").GetString()!);
            infoMessage.String(2, info.GetProperty("version").GetString()!);
            document.Embedded(2, infoMessage);
        }
        var definitions = new Message();
        foreach (var definition in swagger.GetProperty("definitions").EnumerateObject())
            definitions.Embedded(1, Named(definition.Name, Schema(definition.Value)));
        document.Embedded(9, definitions);
        return document.ToArray();
    }

    private static Message Named(string name, Message schema)
    {
        var named = new Message();
        named.String(1, name);
        named.Embedded(2, schema);
        return named;
    }

    private static Message Schema(JsonElement schema)
    {
        var message = new Message();
        foreach (var property in schema.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "$ref": message.String(1, value.GetString()!); break;
                case "format": message.String(2, value.GetString()!); break;
                case "description": message.String(4, value.GetString()!); break;
                case "required":
                    foreach (var name in value.EnumerateArray())
                        message.String(19, name.GetString()!);
                    break;
                case "additionalProperties":
                    var additional = new Message();
                    if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
                        additional.Varint(2, value.GetBoolean() ? 1UL : 0UL);
                    else
                        additional.Embedded(1, Schema(value));
                    message.Embedded(21, additional);
                    break;
                case "type":
                    var type = new Message();
                    foreach (var name in value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().ToList() : [value])
                        type.String(1, name.GetString()!);
                    message.Embedded(22, type);
                    break;
                case "items":
                    var items = new Message();
                    foreach (var item in value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().ToList() : [value])
                        items.Embedded(1, Schema(item));
                    message.Embedded(23, items);
                    break;
                case "allOf":
                    foreach (var part in value.EnumerateArray())
                        message.Embedded(24, Schema(part));
                    break;
                case "properties":
                    var properties = new Message();
                    foreach (var named in value.EnumerateObject())
                        properties.Embedded(1, Named(named.Name, Schema(named.Value)));
                    message.Embedded(25, properties);
                    break;
                case var extension when extension.StartsWith("x-", StringComparison.Ordinal):
                    var any = new Message();
                    any.String(2, value.GetRawText());
                    var namedAny = new Message();
                    namedAny.String(1, extension);
                    namedAny.Embedded(2, any);
                    message.Embedded(31, namedAny);
                    break;
            }
        }
        return message;
    }

    /// <summary>A protobuf message being written: fields as tag, then a varint or a length and the bytes.</summary>
    private sealed class Message
    {
        private readonly MemoryStream bytes = new();

        public void String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

        public void Embedded(int field, Message message) => Bytes(field, message.ToArray());

        public void Varint(int field, ulong value)
        {
            WriteVarint((ulong)field << 3);
            WriteVarint(value);
        }

        private void Bytes(int field, byte[] value)
        {
            WriteVarint(((ulong)field << 3) | 2);
            WriteVarint((ulong)value.Length);
            bytes.Write(value);
        }

        private void WriteVarint(ulong value)
        {
            while (value >= 0x80)
            {
                bytes.WriteByte((byte)(value | 0x80));
                value >>= 7;
            }
            bytes.WriteByte((byte)value);
        }

        public byte[] ToArray() => bytes.ToArray();
    }
}
