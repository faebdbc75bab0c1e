using System.Collections;
using System.Reflection;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Container.Runtime;
using Container.Runtime.Oci;
using Xunit;

namespace Container.Tests.Engine;

/// <summary>
/// The OCI runtime's documents are written by generated writers (OciDocumentWriters), not by
/// JsonContext's metadata: what they write is, byte for byte, what the metadata writes, for
/// every property the documents have, escaped as the one setup escapes.
/// </summary>
public sealed class OciDocumentWriterTests
{
    // what the one setup escapes ('"', '\') and what it does not ('+', HTML, non-ASCII)
    private const string Text = "a+b <i>&amp;</i> Zoë \"\\";

    public static TheoryData<Type> Documents() => [typeof(RuntimeSpec), typeof(ResourcesSpec), typeof(ProcessSpec)];

    [Theory]
    [MemberData(nameof(Documents))]
    public void EveryPropertyIsWrittenAsTheMetadataWritesIt(Type document)
    {
        // a document the generator cannot write straight would be written through metadata again
        var generated = OciDocumentWriters.Default.GetTypeInfo(document)!;
        Assert.NotNull(generated.GetType().GetProperty("SerializeHandler")!.GetValue(generated));
        var value = Filled(document, depth: 0)!;
        var written = (byte[])typeof(Json).GetMethod(nameof(Json.Serialize))!.MakeGenericMethod(document).Invoke(null, [value])!;
        Assert.Equal(Encoding.UTF8.GetString(MetadataWrites(value, document)), Encoding.UTF8.GetString(written));
    }

    [Fact]
    public void OnlyWhatJsonNeedsIsEscaped()
    {
        var spec = new RuntimeSpec { Process = new ProcessSpec { Env = ["SUM=1+1", "HTML=<a href='x'>&</a>", "NAME=Zoë", "QUOTE=\"\\"] } };
        Assert.Contains("\"env\":[\"SUM=1+1\",\"HTML=<a href='x'>&</a>\",\"NAME=Zoë\",\"QUOTE=\\\"\\\\\"]", Encoding.UTF8.GetString(Json.Serialize(spec)));
    }

    private static byte[] MetadataWrites(object value, Type type)
    {
        var metadata = new JsonContext(new JsonSerializerOptions(JsonContext.Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        var bytes = JsonSerializer.SerializeToUtf8Bytes(value, metadata.GetTypeInfo(type)!);
        Assert.Contains("Zoë", Encoding.UTF8.GetString(bytes)); // the filler reached the strings
        return bytes;
    }

    /// <summary>An instance of type with every property set to a value that is not its default.</summary>
    private static object? Filled(Type type, int depth)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying)
            return Filled(underlying, depth);
        if (type == typeof(string))
            return Text;
        if (type == typeof(bool))
            return true;
        if (type.IsEnum)
            return Enum.GetValues(type).GetValue(Enum.GetValues(type).Length - 1);
        if (type.IsPrimitive)
            return Convert.ChangeType(7, type);
        if (depth > 8)
            return null;
        if (type.IsArray)
            return ListOf(type.GetElementType()!, depth, array: true);
        if (type.IsGenericType && type.GetGenericArguments() is [var key, var item] && typeof(IEnumerable).IsAssignableFrom(type))
        {
            var dictionary = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(key, item))!;
            dictionary.Add(Filled(key, depth + 1)!, Filled(item, depth + 1));
            return dictionary;
        }
        if (type.IsGenericType && type.GetGenericArguments() is [var element] && typeof(IEnumerable).IsAssignableFrom(type))
            return ListOf(element, depth, array: false);
        var instance = Activator.CreateInstance(type)!;
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
            property.SetValue(instance, Filled(property.PropertyType, depth + 1));
        return instance;
    }

    private static object ListOf(Type element, int depth, bool array)
    {
        var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;
        list.Add(Filled(element, depth + 1));
        if (!array)
            return list;
        var items = Array.CreateInstance(element, 1);
        list.CopyTo(items, 0);
        return items;
    }
}
